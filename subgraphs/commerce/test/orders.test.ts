import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCursor, toIsoUtc, type OrderStatus } from '@crossdock/model';
import type { FormattedExecutionResult } from 'graphql';
import {
  ORDER_FIELDS,
  errorsOf,
  expectedOrder,
  identity,
  newestFirst,
  startHarness,
  world,
  worldOrder,
  type CommerceHarness,
} from './harness';

interface OrdersPage {
  orders: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const ORDERS = /* GraphQL */ `
  query Orders($filter: OrderFilter, $first: Int, $after: String) {
    orders(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** The same instant written with another UTC offset, as a client in another zone would send it. */
function withOffset(ms: number, offsetHours: number): string {
  const local = new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 19);
  const sign = offsetHours < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
}

describe('commerce subgraph: Query.order and Query.orders', () => {
  let hub: CommerceHarness;

  beforeAll(async () => {
    hub = await startHarness();
  });
  afterAll(() => hub.close());

  /** Follows endCursor to the end; checks every page and returns the ids in order. */
  async function walk(filter: Record<string, unknown> | null, first: number, caller = identity()): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let after: string | null = null;
    // More pages than orders would mean the list never ends.
    for (let pages = 1; pages <= world.orders.length + 1; pages++) {
      const result: FormattedExecutionResult<OrdersPage> = await hub.run<OrdersPage>(ORDERS, { filter, first, after }, caller);
      expect(result.errors).toBeUndefined();
      const connection: OrdersPage['orders'] | undefined = result.data?.orders;
      if (!connection) throw new Error('no orders connection');
      expect(connection.edges.length).toBeLessThanOrEqual(first);
      ids.push(...connection.edges.map((e) => e.node.id));
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      if (!connection.pageInfo.hasNextPage) return { ids, pages };
      after = connection.pageInfo.endCursor;
    }
    throw new Error('the list never ended');
  }

  it('answers an order with every commerce field, null for an unknown id', async () => {
    const order = newestFirst[42];
    if (!order) throw new Error('world too small');
    const result = await hub.run<{ order: unknown; missing: unknown }>(
      `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } missing: order(id: "ORD-999999") { id } }`,
      { id: order.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ order: expectedOrder(order), missing: null });
  });

  it('lists the 20 newest orders by default', async () => {
    const result = await hub.run<{ orders: { edges: { node: unknown }[]; pageInfo: { hasNextPage: boolean } } }>(
      `{ orders { edges { node { ${ORDER_FIELDS} } } pageInfo { hasNextPage } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.orders.edges.map((e) => e.node)).toEqual(newestFirst.slice(0, 20).map(expectedOrder));
    expect(result.data?.orders.pageInfo.hasNextPage).toBe(true);
  });

  it.each([100, 37, 1])('walks all 500 orders newest first, %i per page, without duplicates', async (first) => {
    const { ids, pages } = await walk(null, first);
    expect(ids).toEqual(newestFirst.map((o) => o.id));
    expect(new Set(ids).size).toBe(world.orders.length);
    expect(pages).toBe(Math.ceil(world.orders.length / first));
  });

  it('resumes after any edge, not only after the last one of a page', async () => {
    const page = await hub.run<OrdersPage>(ORDERS, { first: 10 });
    const fourth = page.data?.orders.edges[3]?.cursor;
    const rest = await hub.run<OrdersPage>(ORDERS, { first: 5, after: fourth });
    expect(rest.data?.orders.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(4, 9).map((o) => o.id));
  });

  it('filters by channel, customer and status, each against the seeded world', async () => {
    const edi = await walk({ channel: 'edi' }, 50);
    expect(edi.ids).toEqual(newestFirst.filter((o) => o.channel === 'edi').map((o) => o.id));
    expect(edi.ids.length).toBeGreaterThan(50);

    const busiest = [...world.customers].sort(
      (a, b) => world.orders.filter((o) => o.customerId === b.id).length - world.orders.filter((o) => o.customerId === a.id).length,
    )[0];
    if (!busiest) throw new Error('no customers');
    const ofCustomer = await walk({ customerId: busiest.id }, 7);
    expect(ofCustomer.ids).toEqual(newestFirst.filter((o) => o.customerId === busiest.id).map((o) => o.id));
    expect(ofCustomer.pages).toBeGreaterThan(1);

    const done: OrderStatus[] = ['SHIPPED', 'DELIVERED'];
    const shipped = await walk({ status: done }, 100);
    expect(shipped.ids).toEqual(newestFirst.filter((o) => done.includes(o.status)).map((o) => o.id));
  });

  it('treats placedAfter as inclusive and placedBefore as exclusive, in any offset', async () => {
    const newer = newestFirst[100];
    const older = newestFirst[200];
    if (!newer || !older) throw new Error('world too small');
    const filter = { placedAfter: withOffset(older.placedAtMs, 2), placedBefore: withOffset(newer.placedAtMs, -5) };
    const { ids } = await walk(filter, 100);
    const expected = newestFirst.filter((o) => o.placedAtMs >= older.placedAtMs && o.placedAtMs < newer.placedAtMs);
    expect(ids).toEqual(expected.map((o) => o.id));
    expect(ids).toContain(older.id);
    expect(ids).not.toContain(newer.id);
  });

  it('combines every filter field', async () => {
    const filter = {
      channel: 'web',
      status: ['DELIVERED', 'SHIPPED', 'CANCELLED'],
      placedAfter: toIsoUtc(newestFirst[400]?.placedAtMs ?? 0),
      placedBefore: toIsoUtc(newestFirst[50]?.placedAtMs ?? 0),
    };
    const { ids } = await walk(filter, 10);
    const expected = newestFirst.filter(
      (o) =>
        o.channel === 'web' &&
        ['DELIVERED', 'SHIPPED', 'CANCELLED'].includes(o.status) &&
        o.placedAtMs >= (newestFirst[400]?.placedAtMs ?? 0) &&
        o.placedAtMs < (newestFirst[50]?.placedAtMs ?? 0),
    );
    expect(ids).toEqual(expected.map((o) => o.id));
    expect(ids.length).toBeGreaterThan(10);
    const customer = newestFirst[0]?.customerId;
    const narrowed = await walk({ ...filter, customerId: customer }, 10);
    expect(narrowed.ids).toEqual(expected.filter((o) => o.customerId === customer).map((o) => o.id));
  });

  it.each(['yesterday', '2026-11-01', '2026-11-01T10:00:00', '2026-02-30T10:00:00Z', '2026-11-01T24:00:00Z', '2026-11-01T10:00:00+25:00'])(
    'refuses the DateTime %p with BAD_USER_INPUT',
    async (value) => {
      const result = await hub.run<OrdersPage>(ORDERS, { filter: { placedAfter: value } });
      expect(errorsOf(result)).toEqual([{ code: 'BAD_USER_INPUT', path: ['orders'] }]);
      expect(result.errors?.[0]?.message).toContain('filter.placedAfter must be an ISO-8601 date-time');
    },
  );

  it.each([0, 101, -1])('refuses first: %i with BAD_USER_INPUT', async (first) => {
    const result = await hub.run<OrdersPage>(ORDERS, { first });
    expect(errorsOf(result)).toEqual([{ code: 'BAD_USER_INPUT', path: ['orders'] }]);
    expect(result.errors?.[0]?.message).toContain('"first" must be between 1 and 100');
  });

  it.each([
    ['garbled', 'not a cursor'],
    ['from a customer list', encodeCursor('customer-orders/CUST-0001', '0.')],
    ['forged for the platform', encodeCursor('orders', '0.forged-page-token')],
  ])('refuses a cursor %s with BAD_USER_INPUT', async (_label, after) => {
    const result = await hub.run<OrdersPage>(ORDERS, { first: 5, after });
    expect(errorsOf(result)).toEqual([{ code: 'BAD_USER_INPUT', path: ['orders'] }]);
  });

  it('shows a customer portal only its own orders, and nothing of another customer', async () => {
    const own = worldOrder('ORD-000123');
    const other = world.orders.find((o) => o.customerId !== own.customerId);
    if (!other) throw new Error('one customer only');
    const portal = identity({ customerId: own.customerId });
    const { ids } = await walk(null, 100, portal);
    expect(ids).toEqual(newestFirst.filter((o) => o.customerId === own.customerId).map((o) => o.id));
    expect((await walk({ customerId: other.customerId }, 10, portal)).ids).toEqual([]);
    const single = await hub.run<{ own: { id: string } | null; other: unknown }>(
      `query($own: ID!, $other: ID!) { own: order(id: $own) { id } other: order(id: $other) { id } }`,
      { own: own.id, other: other.id },
      portal,
    );
    expect(single.data).toEqual({ own: { id: own.id }, other: null });
  });

  it('shows a channel partner only its channel', async () => {
    const partner = identity({ channel: 'marketplace' });
    expect((await walk(null, 100, partner)).ids).toEqual(newestFirst.filter((o) => o.channel === 'marketplace').map((o) => o.id));
    expect((await walk({ channel: 'web' }, 100, partner)).ids).toEqual([]);
  });
});
