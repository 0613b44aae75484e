import type { WmsConnector, WmsHttpConnector } from '@crossdock/connectors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startWmsHarness, type WmsHarness } from './harness';
import { positionsOf, warehouseName, world } from './world-stock';

/**
 * The WMS has no lookup of warehouses by id, so a warehouse is read from its list. A fetch that
 * asks for allocations' or positions' warehouses used to read that list only after the
 * fulfilments or positions had answered: two WMS round trips one after the other on the unified
 * order view's critical path. These tests hold the first read until the list read has started.
 */
const ENTITIES = (selection: string) => /* GraphQL */ `
  query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }
`;

/** How long a held read waits for the list read to start before it goes on without it. */
const HOLD_MS = 2_000;

/** What the subgraph asked of the WMS, in order, and whether each held read saw the list read start first. */
interface Recorded {
  calls: string[];
  listStartedFirst: boolean[];
  /** Makes the next warehouse list read fail at once (a plain error, not an outage: nothing to serve instead). */
  failNextList: boolean;
}

/**
 * The real connector, recording its calls; fulfilment and position reads wait for the list read
 * to start. The subgraph sees a new one per request, as it builds a context per request.
 */
function recordingConnector(wms: WmsHttpConnector, recorded: Recorded): WmsConnector {
  let listStarted: () => void = () => undefined;
  const listStart = new Promise<void>((resolve) => (listStarted = resolve));
  const heldUntilListStarts = async <T>(name: string, read: () => Promise<T>): Promise<T> => {
    recorded.calls.push(name);
    let timer: NodeJS.Timeout | undefined;
    const started = await Promise.race([
      listStart.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), HOLD_MS))),
    ]);
    clearTimeout(timer);
    recorded.listStartedFirst.push(started);
    return read();
  };
  return {
    listWarehouses: () => {
      recorded.calls.push('listWarehouses');
      listStarted();
      if (recorded.failNextList) {
        recorded.failNextList = false;
        return Promise.reject(new Error('the warehouse list read failed (test)'));
      }
      return wms.listWarehouses();
    },
    warehousesByIds: (ids) => wms.warehousesByIds(ids),
    positionsBySkus: (skus) => heldUntilListStarts('positionsBySkus', () => wms.positionsBySkus(skus)),
    fulfillmentsByOrderIds: (ids) => heldUntilListStarts('fulfillmentsByOrderIds', () => wms.fulfillmentsByOrderIds(ids)),
    allocate: (orderId, allocations, shipTo) => wms.allocate(orderId, allocations, shipTo),
    cancelAllocation: (orderId) => wms.cancelAllocation(orderId),
  };
}

const recorded: Recorded = { calls: [], listStartedFirst: [], failNextList: false };
let wms: WmsHarness;
beforeAll(async () => {
  wms = await startWmsHarness({}, (connector) => recordingConnector(connector, recorded));
});
afterAll(async () => {
  await wms.close();
});
beforeEach(() => {
  recorded.calls = [];
  recorded.listStartedFirst = [];
  recorded.failNextList = false;
});

const allocated = world.fulfillments.filter((f) => f.allocations.length > 0 && !f.voided).slice(0, 20);
const orders = allocated.map((f) => ({ __typename: 'Order', id: f.orderId }));
const expectedAllocations = allocated.map((f) => ({
  allocations: f.allocations.map((a) => ({ sku: a.sku, warehouse: { id: a.warehouseId, name: warehouseName(a.warehouseId) } })),
}));

describe('warehouses read next to what names them', () => {
  it("starts the list read before the fulfilments answer when the allocations' warehouses are asked for", async () => {
    expect(allocated).toHaveLength(20);
    const { data, errors } = await wms.run(ENTITIES('... on Order { allocations { sku warehouse { id name } } }'), { representations: orders });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: expectedAllocations });
    expect(recorded.listStartedFirst).toEqual([true]);
    expect(recorded.calls).toEqual(['listWarehouses', 'fulfillmentsByOrderIds']);
  });

  it('finds the warehouse field through fragments too', async () => {
    const query = /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Order { allocations { ...Where } } }
      }
      fragment Where on Allocation { sku ... on Allocation { warehouse { id name } } }
    `;
    const { data, errors } = await wms.run(query, { representations: orders });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: expectedAllocations });
    expect(recorded.listStartedFirst).toEqual([true]);
  });

  it("starts the list read before the positions answer when the positions' warehouses are asked for", async () => {
    const sku = world.positions[3]!.sku;
    const { data, errors } = await wms.run(ENTITIES('... on Product { inventory { warehouse { name } onHand } }'), {
      representations: [{ __typename: 'Product', sku }],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [{ inventory: positionsOf(sku).map((p) => ({ warehouse: { name: warehouseName(p.warehouseId) }, onHand: p.onHand })) }] });
    expect(recorded.listStartedFirst).toEqual([true]);
    expect(recorded.calls).toEqual(['listWarehouses', 'positionsBySkus']);
  });

  it('reads the list once for a request that asks for every warehouse and for allocations\' warehouses', async () => {
    const query = /* GraphQL */ `
      query ($representations: [_Any!]!) {
        warehouses { id }
        _entities(representations: $representations) { ... on Order { allocations { sku warehouse { id name } } } }
      }
    `;
    const { data, errors } = await wms.run<{ warehouses: { id: string }[]; _entities: unknown[] }>(query, { representations: orders });
    expect(errors).toBeUndefined();
    expect(data?._entities).toEqual(expectedAllocations);
    expect(data?.warehouses.map((warehouse) => warehouse.id).sort()).toEqual(world.warehouses.map((warehouse) => warehouse.id).sort());
    expect(recorded.calls.filter((call) => call === 'listWarehouses')).toEqual(['listWarehouses']);
  });

  it('does not read the list when no warehouse is asked for', async () => {
    const { errors } = await wms.run(ENTITIES('... on Order { fulfillmentStatus allocations { sku quantity } }'), { representations: orders });
    expect(errors).toBeUndefined();
    expect(recorded.calls).toEqual(['fulfillmentsByOrderIds']);
  });

  it('keeps a failed list read for the rest of the request, and the next request reads again', async () => {
    // Reading again would put a second timeout on the request's path while the WMS is down.
    recorded.failNextList = true;
    const failed = await wms.run(ENTITIES('... on Order { allocations { sku warehouse { id name } } }'), { representations: orders });
    expect(failed.errors?.map((e) => e.message)).toContain('the warehouse list read failed (test)');
    expect(recorded.calls).toEqual(['listWarehouses', 'fulfillmentsByOrderIds']);

    recorded.calls = [];
    const { data, errors } = await wms.run(ENTITIES('... on Order { allocations { sku warehouse { id name } } }'), { representations: orders });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: expectedAllocations });
    expect(recorded.calls).toEqual(['listWarehouses', 'fulfillmentsByOrderIds']);
  });
});
