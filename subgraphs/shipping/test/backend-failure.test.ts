import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { errorsOf, startHarness, world, type ShippingHarness } from './harness';

describe('shipping subgraph: the carrier is down', () => {
  let hub: ShippingHarness;
  const shipment = world.shipments[3];

  beforeAll(async () => {
    hub = await startHarness();
  });
  afterEach(() => hub.setFault('none'));
  afterAll(() => hub.close());

  it('answers BACKEND_UNAVAILABLE at the failing entity and still resolves the others', async () => {
    if (!shipment) throw new Error('no shipments');
    await hub.setFault('down');
    const result = await hub.run<{ _entities: unknown[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { id carrier } ... on Order { id } } }',
      { r: [{ __typename: 'Shipment', id: shipment.id }, { __typename: 'Order', id: shipment.orderId }] },
    );
    expect(result.data?._entities).toEqual([null, { id: shipment.orderId }]);
    expect(errorsOf(result)).toEqual([{ code: 'BACKEND_UNAVAILABLE', path: ['_entities', 0] }]);
    // The client learns which system failed, not where it lives or how the socket died.
    expect(result.errors?.[0]?.message).toBe('The carrier system is unavailable; try again shortly.');
  });

  it("fails Order.shipments at its own path, and shipment(id) at the root", async () => {
    if (!shipment) throw new Error('no shipments');
    await hub.setFault('down');
    const entities = await hub.run<{ _entities: unknown[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id shipments { id } } } }',
      { r: [{ __typename: 'Order', id: shipment.orderId }] },
    );
    expect(entities.data?._entities).toEqual([null]);
    expect(errorsOf(entities)).toEqual([{ code: 'BACKEND_UNAVAILABLE', path: ['_entities', 0, 'shipments'] }]);
    const root = await hub.run<{ shipment: unknown }>(`{ shipment(id: "${shipment.id}") { id } }`);
    expect(root.data).toEqual({ shipment: null });
    expect(errorsOf(root)).toEqual([{ code: 'BACKEND_UNAVAILABLE', path: ['shipment'] }]);
  });

  it('serves again as soon as the carrier is back', async () => {
    if (!shipment) throw new Error('no shipments');
    await hub.setFault('down');
    expect(errorsOf(await hub.run(`{ shipment(id: "${shipment.id}") { id } }`))).toHaveLength(1);
    await hub.setFault('none');
    const result = await hub.run<{ shipment: unknown }>(`{ shipment(id: "${shipment.id}") { id trackingNumber } }`);
    expect(result).toEqual({ data: { shipment: { id: shipment.id, trackingNumber: shipment.trackingNumber } } });
  });
});
