import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Identity } from '@crossdock/auth';
import { availableOf } from '@crossdock/model';
import { generateWorld } from '@crossdock/simulators';
import { startWmsHarness, TEST_IDENTITY, type WmsHarness } from './harness';

const world = generateWorld();
const ENTITIES = (selection: string) => /* GraphQL */ `
  query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }
`;
const ORDER = '... on Order { id fulfillmentStatus allocations { sku quantity } }';

/** Two allocated orders of different customers in different channels. */
const allocated = world.fulfillments.filter((f) => f.status === 'ALLOCATED').map((f) => world.orders.find((o) => o.id === f.orderId)!);
const orderA = allocated[0]!;
const orderB = allocated.find((o) => o.customerId !== orderA.customerId && o.channel !== orderA.channel)!;
const caller = (limits: Partial<Identity>): Identity => ({ ...TEST_IDENTITY, ...limits });
const customerA = caller({ customerId: orderA.customerId });
const channelA = caller({ channel: orderA.channel });
const roomy = world.positions.find((p) => availableOf(p) >= 2)!;
const representations = (...ids: string[]) => ids.map((id) => ({ __typename: 'Order', id }));

let wms: WmsHarness;
beforeAll(async () => {
  wms = await startWmsHarness();
  const line = [{ sku: roomy.sku, warehouseId: roomy.warehouseId, quantity: 1 }];
  // Hub orders as the outbox posts them (with whose order it is), and one from a client that never said.
  await wms.connector.allocate('ORD-H-ROW-A', line, { customerId: orderA.customerId, channel: orderA.channel });
  await wms.connector.allocate('ORD-H-ROW-NOBODY', line);
});
afterAll(async () => {
  await wms.close();
});

describe('WMS row-level rules', () => {
  it.each([
    ['customer', customerA],
    ['channel', channelA],
  ])("resolves another %s's order to null, its own in full, an order the WMS never saw as unallocated", async (_kind, identity) => {
    const { data, errors } = await wms.run<{ _entities: unknown[] }>(ENTITIES(ORDER), {
      representations: representations(orderB.id, orderA.id, 'ORD-H-ROW-A', 'ORD-999999'),
    }, identity);
    expect(errors).toBeUndefined();
    expect(data!._entities).toEqual([
      null,
      { id: orderA.id, fulfillmentStatus: 'ALLOCATED', allocations: expect.arrayContaining([expect.objectContaining({ sku: expect.any(String) })]) },
      { id: 'ORD-H-ROW-A', fulfillmentStatus: 'ALLOCATED', allocations: [{ sku: roomy.sku, quantity: 1 }] },
      { id: 'ORD-999999', fulfillmentStatus: 'UNALLOCATED', allocations: [] },
    ]);
  });

  it('hides a fulfilment that does not say whose it is from restricted callers, not from others', async () => {
    const restricted = await wms.run(ENTITIES(ORDER), { representations: representations('ORD-H-ROW-NOBODY') }, customerA);
    expect(restricted.data).toEqual({ _entities: [null] });
    const internal = await wms.run(ENTITIES(ORDER), { representations: representations('ORD-H-ROW-NOBODY') });
    expect(internal.data).toEqual({ _entities: [{ id: 'ORD-H-ROW-NOBODY', fulfillmentStatus: 'ALLOCATED', allocations: [{ sku: roomy.sku, quantity: 1 }] }] });
  });

  it('serves warehouses and stock to everyone: they are not customer data', async () => {
    const { data, errors } = await wms.run<{ warehouses: unknown[]; inventory: unknown[] }>(
      'query($sku: ID!) { warehouses { id } inventory(sku: $sku) { sku warehouse { id } } }',
      { sku: roomy.sku },
      customerA,
    );
    expect(errors).toBeUndefined();
    expect(data!.warehouses).toHaveLength(world.warehouses.length);
    expect(data!.inventory.length).toBeGreaterThan(0);
  });
});
