import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { createLogger } from '@crossdock/service';
import { FallbackCache, MemorySnapshotStore } from '@crossdock/snapshots';
import { errorCodes, startWmsHarness, type WmsHarness } from './harness';
import { totalAvailable, world } from './world-stock';

const T0 = new Date('2026-11-26T10:04:05.000Z');
const MINUTE = 60_000;

let now = T0;
const cache = new FallbackCache(
  { store: new MemorySnapshotStore(), now: () => now, maxAge: { defaultMs: 24 * 60 * MINUTE, byKind: { 'wms.positions': 10 * MINUTE } } },
  createLogger('wms-test', 'silent'),
);
let wms: WmsHarness;
beforeAll(async () => {
  wms = await startWmsHarness({ snapshots: cache });
});
afterEach(async () => {
  await wms.setFault('none');
  now = T0;
});
afterAll(async () => {
  await wms.close();
});

const fulfillment = world.fulfillments.find((f) => f.allocations.length > 0)!;
const [skuA, skuB] = [world.positions[0]!.sku, world.positions.find((p) => p.sku !== world.positions[0]!.sku)!.sku];
const degradedAsOfT0 = { degraded: [{ subgraph: 'wms', servedFrom: 'cache', asOf: T0.toISOString() }] };

const WMS_VIEW = /* GraphQL */ `
  query ($sku: ID!, $representations: [_Any!]!) {
    warehouses { id name region }
    inventory(sku: $sku) { warehouse { id name } onHand reserved available updatedAt }
    _entities(representations: $representations) {
      ... on Order { id fulfillmentStatus allocations { sku quantity warehouse { id name } } }
      ... on Product { sku available }
    }
  }
`;
const variables = {
  sku: skuA,
  representations: [
    { __typename: 'Order', id: fulfillment.orderId },
    { __typename: 'Product', sku: skuA },
  ],
};

it('answers what it answered before from the cache while the WMS is down, and says so', async () => {
  const live = await wms.run(WMS_VIEW, variables);
  expect(live.errors).toBeUndefined();
  expect(live.extensions).toBeUndefined();
  expect(live.data).toMatchObject({
    warehouses: expect.arrayContaining(world.warehouses.map((w) => ({ id: w.id, name: w.name, region: w.region }))),
    _entities: [{ id: fulfillment.orderId, fulfillmentStatus: fulfillment.status }, { sku: skuA, available: totalAvailable(skuA) }],
  });
  await cache.flush();

  now = new Date(T0.getTime() + 5 * MINUTE);
  await wms.setFault('down');
  const degraded = await wms.run(WMS_VIEW, variables);
  expect(degraded.errors).toBeUndefined();
  expect(degraded.data).toEqual(live.data);
  expect(degraded.extensions).toEqual(degradedAsOfT0);
});

it('fails only what was never cached, with BACKEND_UNAVAILABLE at its path, and serves the rest', async () => {
  await wms.run(/* GraphQL */ `query ($sku: ID!) { inventory(sku: $sku) { onHand } }`, { sku: skuA });
  await cache.flush();
  await wms.setFault('down');
  const { data, errors, extensions } = await wms.run(
    /* GraphQL */ `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { sku available } } }`,
    { representations: [{ __typename: 'Product', sku: skuA }, { __typename: 'Product', sku: skuB }] },
  );
  expect(data).toEqual({ _entities: [{ sku: skuA, available: totalAvailable(skuA) }, null] });
  expect(errorCodes(errors)).toEqual([{ path: ['_entities', 1, 'available'], code: 'BACKEND_UNAVAILABLE' }]);
  expect(extensions).toEqual(degradedAsOfT0);
});

it('never serves stock older than its maximum age, while warehouses keep theirs', async () => {
  const VIEW = /* GraphQL */ `query ($sku: ID!) { warehouses { id } inventory(sku: $sku) { onHand } }`;
  await wms.run(VIEW, { sku: skuA });
  await cache.flush();
  now = new Date(T0.getTime() + 10 * MINUTE + 1);
  await wms.setFault('down');
  const { data, errors } = await wms.run(VIEW, { sku: skuA });
  // `inventory` cannot be null, so the whole answer is; the error says which field failed.
  expect(data).toBeNull();
  expect(errorCodes(errors)).toEqual([{ path: ['inventory'], code: 'BACKEND_UNAVAILABLE' }]);
  const warehouses = await wms.run(/* GraphQL */ `{ warehouses { id } }`);
  expect(warehouses.errors).toBeUndefined();
  expect(warehouses.extensions).toEqual(degradedAsOfT0);
});
