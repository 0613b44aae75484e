import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startWmsHarness, type WmsHarness } from './harness';
import { availableIn, positionsOf, totalAvailable, world } from './world-stock';

const ENTITIES = (selection: string) => /* GraphQL */ `
  query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }
`;

let wms: WmsHarness;
beforeAll(async () => {
  wms = await startWmsHarness();
});
afterAll(async () => {
  await wms.close();
});

describe('Warehouse entity', () => {
  it('resolves known ids and null for unknown ones', async () => {
    const [a, b] = world.warehouses;
    const { data, errors } = await wms.run(ENTITIES('... on Warehouse { id name region }'), {
      representations: [
        { __typename: 'Warehouse', id: b!.id },
        { __typename: 'Warehouse', id: 'WH-MOON' },
        { __typename: 'Warehouse', id: a!.id },
      ],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [{ id: b!.id, name: b!.name, region: b!.region }, null, { id: a!.id, name: a!.name, region: a!.region }] });
  });
});

describe('Product entity', () => {
  it('adds stock per warehouse and the sum available over all of them', async () => {
    const sku = world.positions[7]!.sku;
    const { data, errors } = await wms.run(ENTITIES('... on Product { sku available inventory { warehouse { id } onHand available } }'), {
      representations: [{ __typename: 'Product', sku }],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      _entities: [
        {
          sku,
          available: totalAvailable(sku),
          inventory: positionsOf(sku).map((p) => ({ warehouse: { id: p.warehouseId }, onHand: p.onHand, available: availableIn(p) })),
        },
      ],
    });
  });

  it('answers a SKU no warehouse stocks as having nothing, never as null', async () => {
    const { data, errors } = await wms.run(ENTITIES('... on Product { sku available inventory { onHand } }'), {
      representations: [{ __typename: 'Product', sku: 'SKU-NEW' }],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [{ sku: 'SKU-NEW', available: 0, inventory: [] }] });
  });
});

describe('Order entity', () => {
  it('adds how far the order got in the warehouse and what is allocated where', async () => {
    const fulfillment = world.fulfillments.find((f) => f.status === 'PARTIALLY_SHIPPED' && new Set(f.allocations.map((a) => a.warehouseId)).size >= 2)!;
    const { data, errors } = await wms.run(ENTITIES('... on Order { id fulfillmentStatus allocations { warehouse { id } sku quantity } }'), {
      representations: [{ __typename: 'Order', id: fulfillment.orderId }],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      _entities: [
        {
          id: fulfillment.orderId,
          fulfillmentStatus: 'PARTIALLY_SHIPPED',
          allocations: fulfillment.allocations.map((a) => ({ warehouse: { id: a.warehouseId }, sku: a.sku, quantity: a.quantity })),
        },
      ],
    });
  });

  it('answers a cancelled order and an order the WMS never saw as unallocated', async () => {
    const cancelled = world.fulfillments.find((f) => f.voided)!;
    const { data, errors } = await wms.run(ENTITIES('... on Order { id fulfillmentStatus allocations { sku } }'), {
      representations: [
        { __typename: 'Order', id: 'ORD-999999' },
        { __typename: 'Order', id: cancelled.orderId },
      ],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      _entities: [
        { id: 'ORD-999999', fulfillmentStatus: 'UNALLOCATED', allocations: [] },
        { id: cancelled.orderId, fulfillmentStatus: 'UNALLOCATED', allocations: [] },
      ],
    });
  });
});

describe('batching', () => {
  beforeEach(async () => {
    await wms.resetBackendRequests();
  });

  const skus = [...new Set(world.positions.map((p) => p.sku))].slice(0, 50);
  const allocated = world.fulfillments.filter((f) => f.allocations.length > 0).slice(0, 50);

  it.each([
    ['Product', '... on Product { available }', skus.map((sku) => ({ __typename: 'Product', sku }))],
    ['Order', '... on Order { fulfillmentStatus allocations { sku quantity } }', allocated.map((f) => ({ __typename: 'Order', id: f.orderId }))],
    ['Warehouse', '... on Warehouse { name }', Array.from({ length: 50 }, (_, i) => ({ __typename: 'Warehouse', id: world.warehouses[i % world.warehouses.length]!.id }))],
  ])('resolves 50 %s representations with exactly one WMS request', async (_type, selection, representations) => {
    expect(representations).toHaveLength(50);
    const { data, errors } = await wms.run<{ _entities: unknown[] }>(ENTITIES(selection), { representations });
    expect(errors).toBeUndefined();
    expect(data!._entities.every((e) => e !== null)).toBe(true);
    expect(await wms.backendRequests()).toBe(1);
  });

  it('asks once per kind of record: stock and warehouses of 50 products are two requests', async () => {
    const representations = skus.map((sku) => ({ __typename: 'Product', sku }));
    const { errors } = await wms.run(ENTITIES('... on Product { inventory { warehouse { name } available } }'), { representations });
    expect(errors).toBeUndefined();
    expect(await wms.backendRequests()).toBe(2);
  });
});
