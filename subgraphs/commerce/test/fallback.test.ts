import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { createLogger } from '@crossdock/service';
import { FallbackCache, MemorySnapshotStore } from '@crossdock/snapshots';
import { startCaptureHarness } from './capture-harness';
import { ORDER_FIELDS, errorsOf, expectedOrder, identity, newestFirst, type CommerceHarness } from './harness';

const T0 = new Date('2026-11-26T10:04:05.000Z');
const HOUR = 3_600_000;

let now = T0;
const cache = new FallbackCache(
  { store: new MemorySnapshotStore(), now: () => now, maxAge: { defaultMs: 24 * HOUR, byKind: { 'commerce.order-page': HOUR } } },
  createLogger('commerce-test', 'silent'),
);
let hub: CommerceHarness;
beforeAll(async () => {
  hub = await startCaptureHarness({ snapshots: cache });
});
afterEach(async () => {
  await hub.setFault('none');
  now = T0;
});
afterAll(async () => {
  await hub.close();
});

const caller = identity();
const degradedAsOfT0 = { degraded: [{ subgraph: 'commerce', servedFrom: 'cache', asOf: T0.toISOString() }] };
const webOrders = newestFirst.filter((o) => o.channel === 'web');
const ORDERS = /* GraphQL */ `
  query ($after: String) {
    orders(filter: { channel: "web" }, first: 3, after: $after) { edges { cursor node { ${ORDER_FIELDS} } } pageInfo { hasNextPage endCursor } }
  }
`;
interface OrdersPage {
  orders: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

it('answers the order list pages and orders it answered before from the cache while the platform is down', async () => {
  const first = await hub.run<OrdersPage>(ORDERS, { after: null }, caller);
  const second = await hub.run<OrdersPage>(ORDERS, { after: first.data?.orders.pageInfo.endCursor }, caller);
  const ORDER = /* GraphQL */ `query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
  const order = await hub.run(ORDER, { id: webOrders[0]!.id }, caller);
  expect([first.errors, second.errors, order.errors]).toEqual([undefined, undefined, undefined]);
  expect(second.data?.orders.edges.map((e) => e.node.id)).toEqual(webOrders.slice(3, 6).map((o) => o.id));
  expect(order.data).toEqual({ order: expectedOrder(webOrders[0]!) });
  await cache.flush();

  await hub.setFault('down');
  now = new Date(T0.getTime() + HOUR / 2);
  for (const [live, again] of [
    [first, await hub.run<OrdersPage>(ORDERS, { after: null }, caller)],
    [second, await hub.run<OrdersPage>(ORDERS, { after: first.data?.orders.pageInfo.endCursor }, caller)],
    [order, await hub.run(ORDER, { id: webOrders[0]!.id }, caller)],
  ] as const) {
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(live.data);
    expect(again.extensions).toEqual(degradedAsOfT0);
  }
});

it('fails only what was never cached, with BACKEND_UNAVAILABLE at its path, and serves the rest', async () => {
  const [cached, never] = [newestFirst[10]!, newestFirst[11]!];
  await hub.run(/* GraphQL */ `query ($id: ID!) { order(id: $id) { id } }`, { id: cached.id }, caller);
  await cache.flush();
  await hub.setFault('down');
  const entities = await hub.run(
    /* GraphQL */ `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { id status } } }`,
    { representations: [{ __typename: 'Order', id: never.id }, { __typename: 'Order', id: cached.id }] },
    caller,
  );
  expect(entities.data).toEqual({ _entities: [null, { id: cached.id, status: cached.status }] });
  expect(errorsOf(entities)).toEqual([{ path: ['_entities', 0], code: 'BACKEND_UNAVAILABLE' }]);
  expect(entities.extensions).toEqual(degradedAsOfT0);

  const neverListed = await hub.run(/* GraphQL */ `{ orders(filter: { channel: "edi" }, first: 7) { edges { node { id } } } }`, {}, caller);
  expect(neverListed.data).toBeNull();
  expect(errorsOf(neverListed)).toEqual([{ path: ['orders'], code: 'BACKEND_UNAVAILABLE' }]);
});

it('never serves a list page older than its maximum age', async () => {
  await hub.run(ORDERS, { after: null }, caller);
  await cache.flush();
  now = new Date(T0.getTime() + HOUR + 1);
  await hub.setFault('down');
  const stale = await hub.run(ORDERS, { after: null }, caller);
  expect(stale.data).toBeNull();
  expect(errorsOf(stale)).toEqual([{ path: ['orders'], code: 'BACKEND_UNAVAILABLE' }]);
  expect(stale.extensions).toBeUndefined();
});
