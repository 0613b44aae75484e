import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SHIPMENT_STATUSES } from '@crossdock/model';
import { SHIPMENT_FIELDS, expectedShipment, shipmentsOf, startHarness, world, type ShippingHarness } from './harness';

describe('shipping subgraph: Query.shipment', () => {
  let hub: ShippingHarness;

  beforeAll(async () => {
    hub = await startHarness();
  });
  afterAll(() => hub.close());

  it.each(SHIPMENT_STATUSES)('answers a %s shipment with its tracking history oldest first', async (status) => {
    const shipment = world.shipments.find((s) => s.status === status);
    if (!shipment) throw new Error(`the world has no ${status} shipment`);
    const result = await hub.run<{ shipment: unknown }>(`query($id: ID!) { shipment(id: $id) { ${SHIPMENT_FIELDS} } }`, {
      id: shipment.id,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.shipment).toEqual(expectedShipment(shipment));
  });

  it('tells the story in order and in UTC, whatever zone each scan happened in', async () => {
    const delivered = world.shipments.find((s) => s.status === 'DELIVERED' && new Set(s.events.map((e) => e.place.utcOffset)).size > 1);
    if (!delivered) throw new Error('no delivered parcel that crossed time zones');
    const result = await hub.run<{ shipment: { events: { at: string; status: string }[] } }>(
      `query($id: ID!) { shipment(id: $id) { events { at status } } }`,
      { id: delivered.id },
    );
    const events = result.data?.shipment.events ?? [];
    expect(events[0]?.status).toBe('LABEL_CREATED');
    expect(events.at(-1)?.status).toBe('DELIVERED');
    expect(events.every((e) => e.at.endsWith('Z'))).toBe(true);
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort());
  });

  it('answers null for an unknown shipment', async () => {
    const result = await hub.run<{ shipment: unknown }>('{ shipment(id: "SHP-NOPE") { id } }');
    expect(result).toEqual({ data: { shipment: null } });
  });

  it('links a shipment to its order by key only', async () => {
    const shipment = world.shipments[0];
    if (!shipment) throw new Error('no shipments');
    const result = await hub.run<{ shipment: unknown }>(`query($id: ID!) { shipment(id: $id) { order { id shipments { id } } } }`, {
      id: shipment.id,
    });
    expect(result.data?.shipment).toEqual({
      order: { id: shipment.orderId, shipments: shipmentsOf(shipment.orderId).map((s) => ({ id: s.id })) },
    });
  });
});
