import { randomBytes } from 'node:crypto';
import { READ_SCOPES, readSimulatorStats, resetSimulatorStats, startHubStack, UNIFIED_ORDER_VIEW, type GraphQLBody, type HubStack, type OrderViewResult } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

type Errors = GraphQLBody<unknown>['errors'];

/** Newest orders, some of them invoiced (shipped, delivered), so invoice totals are covered when the ERP has them. */
const VIEW = { first: 10, filter: { status: ['ACCEPTED', 'SHIPPED', 'DELIVERED'] } };

/** [code, path] of every error, sorted by path. */
const errorPaths = (errors: Errors) => (errors ?? []).map((e) => [e.extensions?.['code'], (e.path ?? []).join('.')]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));

/** Every money field of the unified order view, by path, for the orders in `view`. */
function moneyPaths(view: OrderViewResult): string[] {
  return view.orders.edges
    .flatMap(({ node }, i) => {
      const at = `orders.edges.${i}.node`;
      return [
        `${at}.total`,
        `${at}.customer.creditLimit`,
        ...node.lines.map((_, j) => `${at}.lines.${j}.unitPrice`),
        ...node.invoices.map((_, k) => `${at}.invoices.${k}.total`),
      ];
    })
    .sort((a, b) => a.localeCompare(b));
}

describe('scopes in the schema, enforced by the gateway (real processes)', () => {
  let hub: HubStack;
  let everything: OrderViewResult;

  beforeAll(async () => {
    // Other suites share these 2 cores: give subgraph calls room, as wall-clock time is not under test.
    hub = await startHubStack({ env: { SUBGRAPH_TIMEOUT_MS: '30000' } });
    const { body } = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, VIEW);
    if (body.errors || !body.data) throw new Error(`the unified view failed with every read scope: ${JSON.stringify(body.errors)}`);
    everything = body.data;
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('serves the unified order view without an error when the token has every read scope', () => {
    expect(everything.orders.edges).toHaveLength(VIEW.first);
  });

  it('without pricing:read: the same orders, every money field null with FORBIDDEN at its path', async () => {
    const token = await hub.token({ scopes: READ_SCOPES.filter((s) => s !== 'pricing:read') });
    const { status, body } = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, VIEW, token);
    expect(status).toBe(200);
    const withoutMoney: OrderViewResult = structuredClone(everything);
    for (const { node } of withoutMoney.orders.edges) {
      node.total = null;
      node.customer.creditLimit = null;
      for (const line of node.lines) line.unitPrice = null;
      for (const invoice of node.invoices) invoice.total = null;
    }
    expect(body.data).toEqual(withoutMoney);
    expect(errorPaths(body.errors)).toEqual(moneyPaths(everything).map((path) => ['FORBIDDEN', path]));
  });

  it('with orders:read only: FORBIDDEN at each total and customer name; the non-null fields carry the nulls up to data: null', async () => {
    const token = await hub.token({ scopes: ['orders:read'] });
    const { status, body } = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, VIEW, token);
    expect(status).toBe(200);
    // customer.name (String!), product.available (Int!), shipments ([Shipment!]!) are forbidden,
    // and every level above them up to `orders` is non-null (CONTRACT.md's schema).
    expect(body.data).toBeNull();
    const paths = new Set(errorPaths(body.errors).map(([code, path]) => `${code} ${path}`));
    everything.orders.edges.forEach(({ node }, i) => {
      for (const field of ['total', 'customer.name', 'customer.onHold', 'customer.creditLimit', 'shipments']) {
        expect(paths).toContain(`FORBIDDEN orders.edges.${i}.node.${field}`);
      }
      node.lines.forEach((_, j) => expect(paths).toContain(`FORBIDDEN orders.edges.${i}.node.lines.${j}.product.available`));
    });
    expect([...paths].every((p) => p.startsWith('FORBIDDEN '))).toBe(true);
  });

  it('with orders:read only, an order view within that scope is served, and the gateway plans the reduced operation', async () => {
    const token = await hub.token({ scopes: ['orders:read'] });
    await resetSimulatorStats(hub.simulatorUrls.erp);
    const { body } = await hub.query<{ orders: { edges: { node: { id: string; status: string; total: null } }[] } }>(
      'query($filter: OrderFilter) { orders(first: 3, filter: $filter) { edges { node { id status total { amount currency } } } } }',
      { filter: VIEW.filter },
      token,
    );
    expect(body.data?.orders.edges.map(({ node }) => node)).toEqual(everything.orders.edges.slice(0, 3).map(({ node }) => ({ id: node.id, status: node.status, total: null })));
    expect(errorPaths(body.errors)).toEqual([0, 1, 2].map((i) => ['FORBIDDEN', `orders.edges.${i}.node.total`]));
    expect(body.errors?.[0]?.message).toBe('Forbidden: Order.total needs scope pricing:read');
    // total lives in the ERP: nothing was asked of it.
    expect((await readSimulatorStats(hub.simulatorUrls.erp)).total).toBe(0);

    const id = everything.orders.edges[0]!.node.id;
    const byId = await hub.query('query($id: ID!) { order(id: $id) { id customer { id name } } }', { id }, token);
    expect(byId.body.data).toEqual({ order: null });
    expect(errorPaths(byId.body.errors)).toEqual([['FORBIDDEN', 'order.customer.name']]);
  });

  it('never runs placeOrder without orders:write: FORBIDDEN, nothing reserved, no order under its key', async () => {
    const { sku, customerId } = await orderableItem(hub);
    const reserved = async () => {
      const { body } = await hub.query<{ product: { inventory: { reserved: number }[] } }>('query($sku: ID!) { product(sku: $sku) { inventory { reserved } } }', { sku });
      return body.data!.product.inventory.reduce((sum, p) => sum + p.reserved, 0);
    };
    const before = await reserved();
    const idempotencyKey = `scope-${randomBytes(6).toString('hex')}`;
    const mutation = 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id lines { quantity } } errors { code } } }';
    const input = (quantity: number) => ({ input: { idempotencyKey, channel: 'web', customerId, lines: [{ sku, quantity }] } });

    const reader = await hub.token({ scopes: [...READ_SCOPES] });
    const refused = await hub.query(mutation, input(1), reader);
    expect(refused.status).toBe(200);
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors?.map((e) => [e.extensions?.['code'], e.path, e.message])).toEqual([
      ['FORBIDDEN', ['placeOrder'], 'Forbidden: Mutation.placeOrder needs scope orders:write'],
    ]);
    expect(await reserved()).toBe(before);

    // Had the refused request run, this key would bring its order back (quantity 1).
    const writer = await hub.token({ scopes: ['orders:write', ...READ_SCOPES] });
    const placed = await hub.query<{ placeOrder: { order: { lines: { quantity: number }[] } | null; errors: { code: string }[] } }>(mutation, input(2), writer);
    expect(placed.body.errors).toBeUndefined();
    expect(placed.body.data?.placeOrder).toMatchObject({ order: { lines: [{ quantity: 2 }] }, errors: [] });
    expect(await reserved()).toBe(before + 2);
  });

  it('keeps the operator fields to ops:admin', async () => {
    const list = '{ exceptions(first: 5) { edges { node { id reason rawPayload } } } }';
    const replay = 'mutation { replayExceptions(ids: ["EXC-none"]) { results { id outcome } } }';
    const reader = await hub.token({ scopes: [...READ_SCOPES, 'orders:write'] });
    for (const [operation, field] of [[list, 'exceptions'], [replay, 'replayExceptions']] as const) {
      const { status, body } = await hub.query(operation, {}, reader);
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(errorPaths(body.errors)).toEqual([['FORBIDDEN', field]]);
    }
    const operator = await hub.token({ scopes: ['ops:admin', 'orders:read'] });
    expect((await hub.query(list, {}, operator)).body.errors).toBeUndefined();
    const replayed = await hub.query<{ replayExceptions: { results: { outcome: string }[] } }>(replay, {}, operator);
    expect(replayed.body.data?.replayExceptions.results).toEqual([{ id: 'EXC-none', outcome: 'NOT_FOUND' }]);
  });
});

/** A customer in good standing and a cheap sellable SKU in stock, found through the graph. */
async function orderableItem(hub: HubStack): Promise<{ sku: string; customerId: string }> {
  const { body } = await hub.query<{
    products: { edges: { node: { sku: string; sellable: boolean; available: number; listPrice: { amount: string } | null } }[] };
    orders: { edges: { node: { customer: { id: string; onHold: boolean; creditAvailable: { amount: string } | null } } }[] };
  }>(
    `{ products(first: 50) { edges { node { sku sellable available listPrice { amount } } } }
       orders(first: 50) { edges { node { customer { id onHold creditAvailable { amount } } } } } }`,
  );
  const products = body.data!.products.edges.map((e) => e.node).filter((p) => p.sellable && p.available >= 5 && p.listPrice);
  const customers = body.data!.orders.edges.map((e) => e.node.customer).filter((c) => !c.onHold && c.creditAvailable);
  const cheapest = products.sort((a, b) => Number(a.listPrice!.amount) - Number(b.listPrice!.amount))[0];
  const richest = customers.sort((a, b) => Number(b.creditAvailable!.amount) - Number(a.creditAvailable!.amount))[0];
  if (!cheapest || !richest) throw new Error('the demo data has no orderable SKU or customer');
  return { sku: cheapest.sku, customerId: richest.id };
}
