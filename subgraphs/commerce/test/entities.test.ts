import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ORDER_FIELDS, errorsOf, expectedOrder, newestFirst, startHarness, world, worldOrder, type CommerceHarness } from './harness';

interface CustomerOrders {
  _entities: ({ id: string; orders: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null)[];
}

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Order { ${ORDER_FIELDS} }
      ... on OrderLine { id lineNumber sku quantity product { sku } }
    }
  }
`;

const CUSTOMER_ORDERS = /* GraphQL */ `
  query CustomerOrders($representations: [_Any!]!, $first: Int, $after: String) {
    _entities(representations: $representations) {
      ... on Customer { id orders(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }
    }
  }
`;

const ordersOf = (customerId: string) => newestFirst.filter((o) => o.customerId === customerId).map((o) => o.id);

describe('commerce subgraph: entities', () => {
  let hub: CommerceHarness;

  beforeAll(async () => {
    hub = await startHarness();
  });
  afterAll(() => hub.close());

  it('resolves Order references, null for an unknown id', async () => {
    const ids = ['ORD-000001', 'ORD-000250', 'ORD-NOPE', 'ORD-000500'];
    const result = await hub.run<{ _entities: unknown[] }>(ENTITIES, {
      representations: ids.map((id) => ({ __typename: 'Order', id })),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      expectedOrder(worldOrder('ORD-000001')),
      expectedOrder(worldOrder('ORD-000250')),
      null,
      expectedOrder(worldOrder('ORD-000500')),
    ]);
  });

  it('resolves OrderLine references by "<order id>:<line number>", null for anything else', async () => {
    const order = world.orders.find((o) => o.lines.length >= 3);
    if (!order) throw new Error('no order with three lines');
    const line = order.lines[2];
    if (!line) throw new Error('no third line');
    const ids = [`${order.id}:3`, `${order.id}:99`, `${order.id}:0`, 'ORD-999999:1', 'nonsense', `${order.id}:`, ':1'];
    const result = await hub.run<{ _entities: unknown[] }>(ENTITIES, {
      representations: ids.map((id) => ({ __typename: 'OrderLine', id })),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: `${order.id}:3`, lineNumber: 3, sku: line.sku, quantity: line.quantity, product: { sku: line.sku } },
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("resolves Customer references with the customer's orders, newest first, page by page", async () => {
    const customer = world.customers[7];
    if (!customer) throw new Error('world too small');
    const expected = ordersOf(customer.id);
    expect(expected.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let after: string | null = null;
    let hasNextPage = true;
    while (hasNextPage) {
      const result: { data?: CustomerOrders | null; errors?: unknown } = await hub.run<CustomerOrders>(CUSTOMER_ORDERS, {
        representations: [{ __typename: 'Customer', id: customer.id }],
        first: 4,
        after,
      });
      expect(result.errors).toBeUndefined();
      const entity = result.data?._entities[0];
      if (!entity) throw new Error('customer did not resolve');
      expect(entity.id).toBe(customer.id);
      seen.push(...entity.orders.edges.map((e) => e.node.id));
      ({ hasNextPage, endCursor: after } = entity.orders.pageInfo);
      expect(seen.length).toBeLessThanOrEqual(expected.length);
    }
    expect(seen).toEqual(expected);
  });

  it('answers an unknown customer with no orders, and keeps cursors of two customers apart', async () => {
    const [a, b] = world.customers;
    if (!a || !b) throw new Error('world too small');
    const first = await hub.run<CustomerOrders>(CUSTOMER_ORDERS, {
      representations: [{ __typename: 'Customer', id: a.id }, { __typename: 'Customer', id: 'CUST-NOPE' }],
      first: 2,
    });
    expect(first.errors).toBeUndefined();
    expect(first.data?._entities[0]?.orders.edges.map((e) => e.node.id)).toEqual(ordersOf(a.id).slice(0, 2));
    expect(first.data?._entities[1]).toEqual({ id: 'CUST-NOPE', orders: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });

    const cursorOfA = first.data?._entities[0]?.orders.pageInfo.endCursor;
    const mixed = await hub.run<CustomerOrders>(CUSTOMER_ORDERS, {
      representations: [{ __typename: 'Customer', id: b.id }],
      first: 2,
      after: cursorOfA,
    });
    expect(errorsOf(mixed)).toEqual([{ code: 'BAD_USER_INPUT', path: ['_entities', 0, 'orders'] }]);
    const global = await hub.run<{ orders: unknown }>('query($after: String) { orders(first: 2, after: $after) { edges { cursor } } }', {
      after: cursorOfA,
    });
    expect(errorsOf(global)).toEqual([{ code: 'BAD_USER_INPUT', path: ['orders'] }]);
  });

  it('fetches 50 orders and 50 of their lines in ONE backend request', async () => {
    const orders = newestFirst.slice(100, 150);
    await hub.resetBackendRequests();
    const result = await hub.run<{ _entities: unknown[] }>(ENTITIES, {
      representations: [
        ...orders.map((o) => ({ __typename: 'Order', id: o.id })),
        ...orders.map((o) => ({ __typename: 'OrderLine', id: `${o.id}:1` })),
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities.slice(0, 50)).toEqual(orders.map(expectedOrder));
    expect(result.data?._entities.filter((e) => e !== null)).toHaveLength(100);
    expect(await hub.backendRequests()).toBe(1);
  });

  it('batches 50 Order representations into exactly one request', async () => {
    await hub.resetBackendRequests();
    const result = await hub.run<{ _entities: ({ id: string } | null)[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } } }',
      { r: newestFirst.slice(0, 50).map((o) => ({ __typename: 'Order', id: o.id })) },
    );
    expect(result.data?._entities.map((e) => e?.id)).toEqual(newestFirst.slice(0, 50).map((o) => o.id));
    expect(await hub.backendRequests()).toBe(1);
  });
});
