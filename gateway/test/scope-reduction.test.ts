import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import type { ScopeEnforcer } from '../src/authorization';
import { ALL_SCOPES, errorPaths, loadEnforcer, run, SUPERGRAPH_SDL } from './scope-support';

const money = (amount: string) => ({ amount, currency: 'EUR' });

function order(id: string) {
  return {
    id,
    status: 'ACCEPTED',
    total: money('30.00'),
    customer: { id: 'CUST-1', name: 'Acme', onHold: false, creditLimit: money('1000.00') },
    lines: [1, 2].map((lineNumber) => ({ lineNumber, sku: `SKU-${lineNumber}`, unitPrice: money('15.00'), product: { sku: `SKU-${lineNumber}`, name: 'Widget', available: 7 } })),
    shipments: [{ id: `SHP-${id}`, status: 'IN_TRANSIT' }],
  };
}

/** What "the subgraphs" hold: three orders, queried through lists, and one by id. */
const root = {
  orders: { edges: ['O1', 'O2', 'O3'].map((id) => ({ cursor: id, node: order(id) })), pageInfo: { hasNextPage: false, endCursor: 'O3' } },
  order: order('O9'),
};

describe('scope enforcement on the committed supergraph (walker + result, in process)', () => {
  let enforcer: ScopeEnforcer;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ enforcer, stop } = await loadEnforcer(SUPERGRAPH_SDL));
  });
  afterAll(async () => stop());

  it('leaves an operation alone when the scopes cover it', async () => {
    const result = await run(enforcer, '{ orders { edges { node { id total { amount } customer { name } shipments { status } } } } }', { scopes: ALL_SCOPES, root });
    expect(result.executed).toBeNull();
    expect(result.errors).toBeUndefined();
  });

  it('nulls a money field in every list item, with FORBIDDEN at each path, and serves the rest', async () => {
    const result = await run(enforcer, '{ orders { edges { node { id total { amount } lines { lineNumber unitPrice { amount } } } } } }', {
      scopes: ['orders:read'],
      root,
    });
    expect(result.executed).toContain('total: __typename');
    const edges = (result.data as { orders: { edges: { node: { id: string; total: unknown; lines: { unitPrice: unknown }[] } }[] } }).orders.edges;
    expect(edges.map((e) => e.node.id)).toEqual(['O1', 'O2', 'O3']);
    expect(edges.every((e) => e.node.total === null && e.node.lines.every((l) => l.unitPrice === null))).toBe(true);
    expect(errorPaths(result)).toEqual(
      [0, 1, 2].flatMap((i) => [
        ['FORBIDDEN', `orders.edges.${i}.node.lines.0.unitPrice`],
        ['FORBIDDEN', `orders.edges.${i}.node.lines.1.unitPrice`],
        ['FORBIDDEN', `orders.edges.${i}.node.total`],
      ]),
    );
    expect(result.errors?.[0]?.message).toMatch(/needs scope pricing:read/);
  });

  it('follows named fragments, inline fragments and aliases; a fragment spread twice is judged where it is spread', async () => {
    const result = await run(
      enforcer,
      `query { first: order(id: "O9") { ...Priced } list: orders { edges { node { ... on Order { ref: id ...Priced } } } } }
       fragment Priced on Order { id price: total { amount } customer { id credit: creditLimit { amount } } }`,
      { scopes: ['orders:read'], root },
    );
    expect(result.data).toMatchObject({ first: { id: 'O9', price: null, customer: { id: 'CUST-1', credit: null } } });
    expect(errorPaths(result)).toEqual([
      ['FORBIDDEN', 'first.customer.credit'],
      ['FORBIDDEN', 'first.price'],
      ...[0, 1, 2].flatMap((i) => [
        ['FORBIDDEN', `list.edges.${i}.node.customer.credit`],
        ['FORBIDDEN', `list.edges.${i}.node.price`],
      ]),
    ]);
    expect(result.errors?.find((e) => e.path?.join('.') === 'first.customer.credit')?.message).toMatch(/Customer\.creditLimit needs scope customers:read and scope pricing:read/);
  });

  it('evaluates @skip/@include with the request variables, on one cached analysis', async () => {
    const query = 'query($withTotal: Boolean!, $hide: Boolean = false) { order(id: "O9") { id total @include(if: $withTotal) { amount } status @skip(if: $hide) } }';
    const hash = createHash('sha256').update(query).digest('hex');
    const access = { authenticated: true, scopes: new Set(['orders:read']) };
    const once = enforcer.authorize({ document: parse(query), operationName: undefined, queryHash: hash, access });
    expect(enforcer.authorize({ document: parse(query), operationName: undefined, queryHash: hash, access })).toBe(once);

    const without = await run(enforcer, query, { scopes: ['orders:read'], root, variables: { withTotal: false } });
    expect(without.data).toEqual({ order: { id: 'O9', status: 'ACCEPTED' } });
    expect(without.errors).toBeUndefined();
    const withTotal = await run(enforcer, query, { scopes: ['orders:read'], root, variables: { withTotal: true, hide: true } });
    expect(withTotal.data).toEqual({ order: { id: 'O9', total: null } });
    expect(errorPaths(withTotal)).toEqual([['FORBIDDEN', 'order.total']]);
  });

  it('nulls the nearest nullable parent of a forbidden non-null field, as GraphQL does', async () => {
    const byId = await run(enforcer, '{ order(id: "O9") { id customer { id name } } }', { scopes: ['orders:read'], root });
    expect(byId.data).toEqual({ order: null });
    expect(errorPaths(byId)).toEqual([['FORBIDDEN', 'order.customer.name']]);

    // Product.available (Int!) -> Product! -> OrderLine! -> [OrderLine!]! -> Order: the order goes.
    const deep = await run(enforcer, '{ order(id: "O9") { id lines { product { sku available } } } }', { scopes: ['orders:read'], root });
    expect(deep.data).toEqual({ order: null });
    expect(errorPaths(deep)).toEqual([['FORBIDDEN', 'order.lines.0.product.available'], ['FORBIDDEN', 'order.lines.1.product.available']]);

    // Every level up to `orders` is non-null: nothing is left of the data.
    const list = await run(enforcer, '{ orders { edges { node { id shipments { status } } } } }', { scopes: ['orders:read'], root });
    expect(list.data).toBeNull();
    expect(errorPaths(list)).toEqual([0, 1, 2].map((i) => ['FORBIDDEN', `orders.edges.${i}.node.shipments`]));
  });

  it('never executes a mutation field the token may not call', async () => {
    let placed = 0;
    const mutationRoot = {
      placeOrder: () => {
        placed += 1;
        return { order: order('O10'), errors: [] };
      },
    };
    const mutation = 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id total { amount } } errors { code } } }';
    const variables = { input: { idempotencyKey: 'k', channel: 'web', customerId: 'CUST-1', lines: [{ sku: 'SKU-1', quantity: 1 }] } };

    const refused = await run(enforcer, mutation, { scopes: ['orders:read', 'pricing:read'], root: mutationRoot, variables });
    expect(placed).toBe(0);
    expect(refused.data).toBeNull();
    expect(errorPaths(refused)).toEqual([['FORBIDDEN', 'placeOrder']]);
    expect(refused.errors?.[0]?.message).toMatch(/Mutation\.placeOrder needs scope orders:write/);

    // Allowed to write but not to read orders: placed, and the order in the payload is null.
    const writeOnly = await run(enforcer, mutation, { scopes: ['orders:write'], root: mutationRoot, variables });
    expect(placed).toBe(1);
    expect(writeOnly.data).toEqual({ placeOrder: { order: null, errors: [] } });
    expect(errorPaths(writeOnly)).toEqual([['FORBIDDEN', 'placeOrder.order']]);
  });

  it('keeps operator fields to ops:admin, in queries and mutations', async () => {
    const opsRoot = { exceptions: { edges: [], pageInfo: { hasNextPage: false } }, discardException: () => ({ exception: null, errors: [] }) };
    const list = await run(enforcer, '{ exceptions { edges { node { id rawPayload } } } }', { scopes: ['orders:read'], root: opsRoot });
    expect(list.data).toBeNull();
    expect(errorPaths(list)).toEqual([['FORBIDDEN', 'exceptions']]);
    const discard = await run(enforcer, 'mutation { discardException(id: "X", reason: "dup") { errors { code } } }', { scopes: ['orders:write'], root: opsRoot });
    expect(errorPaths(discard)).toEqual([['FORBIDDEN', 'discardException']]);
    const admin = await run(enforcer, '{ exceptions { edges { node { id } } } }', { scopes: ['ops:admin'], root: opsRoot });
    expect(admin.errors).toBeUndefined();
  });

  it('needs authentication for every root field (the root types are @authenticated) but answers __typename', async () => {
    const result = await run(enforcer, '{ __typename product(sku: "SKU-1") { sku } }', { scopes: [], authenticated: false, root: { product: { sku: 'SKU-1' } } });
    expect(result.data).toEqual({ __typename: 'Query', product: null });
    expect(result.errors?.map((e) => e.message)).toEqual(['Forbidden: Query.product needs authentication']);
  });

  it('shares one analysis between tokens that differ only in scopes the schema never asks for', () => {
    const query = '{ order(id: "O9") { total { amount } } }';
    const request = (scopes: string[]) => ({
      document: parse(query),
      operationName: undefined,
      queryHash: 'same-hash',
      access: { authenticated: true, scopes: new Set(scopes) },
    });
    const plain = enforcer.authorize(request(['orders:read']));
    expect(enforcer.authorize(request(['orders:read', 'reports:read', 'something:else']))).toBe(plain);
    expect(enforcer.authorize(request(['orders:read', 'pricing:read']))).toBeNull();
    expect(plain?.queryHash).not.toBe('same-hash');
  });
});
