import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { createLogger } from '@crossdock/service';
import { FallbackCache, MemorySnapshotStore } from '@crossdock/snapshots';
import { errorsOf, expectedShipment, SHIPMENT_FIELDS, shipmentsOf, startHarness, world, type ShippingHarness } from './harness';

const T0 = new Date('2026-11-26T10:04:05.000Z');
const HOUR = 3_600_000;

let now = T0;
const cache = new FallbackCache(
  { store: new MemorySnapshotStore(), now: () => now, maxAge: { defaultMs: HOUR, byKind: {} } },
  createLogger('shipping-test', 'silent'),
);
let carrier: ShippingHarness;
beforeAll(async () => {
  carrier = await startHarness(cache);
});
afterEach(async () => {
  await carrier.setFault('none');
  now = T0;
});
afterAll(async () => {
  await carrier.close();
});

const [first, second] = world.shipments;
const degradedAsOfT0 = { degraded: [{ subgraph: 'shipping', servedFrom: 'cache', asOf: T0.toISOString() }] };
const SHIPPING_VIEW = /* GraphQL */ `
  query ($id: ID!, $representations: [_Any!]!) {
    shipment(id: $id) { ${SHIPMENT_FIELDS} }
    _entities(representations: $representations) { ... on Order { id shipments { ${SHIPMENT_FIELDS} } } }
  }
`;

it('answers what it answered before from the cache while the carrier is down, and says so', async () => {
  const variables = { id: first!.id, representations: [{ __typename: 'Order', id: first!.orderId }] };
  const live = await carrier.run(SHIPPING_VIEW, variables);
  expect(live.errors).toBeUndefined();
  expect(live.data).toEqual({
    shipment: expectedShipment(first!),
    _entities: [{ id: first!.orderId, shipments: expect.arrayContaining(shipmentsOf(first!.orderId).map(expectedShipment)) }],
  });
  await cache.flush();

  now = new Date(T0.getTime() + HOUR);
  await carrier.setFault('down');
  const degraded = await carrier.run(SHIPPING_VIEW, variables);
  expect(degraded.errors).toBeUndefined();
  expect(degraded.data).toEqual(live.data);
  expect(degraded.extensions).toEqual(degradedAsOfT0);
});

it('fails only what was never cached, with BACKEND_UNAVAILABLE at its path, and serves the rest', async () => {
  await carrier.run(/* GraphQL */ `query ($id: ID!) { shipment(id: $id) { id } }`, { id: first!.id });
  await cache.flush();
  await carrier.setFault('down');
  const result = await carrier.run(
    /* GraphQL */ `query ($a: ID!, $b: ID!) { a: shipment(id: $a) { id status } b: shipment(id: $b) { id status } }`,
    { a: first!.id, b: second!.id },
  );
  expect(result.data).toEqual({ a: { id: first!.id, status: first!.status }, b: null });
  expect(errorsOf(result)).toEqual([{ path: ['b'], code: 'BACKEND_UNAVAILABLE' }]);
  expect(result.extensions).toEqual(degradedAsOfT0);
});

it('never serves a snapshot older than the maximum age', async () => {
  await carrier.run(/* GraphQL */ `query ($id: ID!) { shipment(id: $id) { id } }`, { id: first!.id });
  await cache.flush();
  now = new Date(T0.getTime() + HOUR + 1);
  await carrier.setFault('down');
  const result = await carrier.run(/* GraphQL */ `query ($id: ID!) { shipment(id: $id) { id } }`, { id: first!.id });
  expect(result.data).toEqual({ shipment: null });
  expect(errorsOf(result)).toEqual([{ path: ['shipment'], code: 'BACKEND_UNAVAILABLE' }]);
  expect(result.extensions).toBeUndefined();
});
