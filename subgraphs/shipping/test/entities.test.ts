import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SHIPMENT_FIELDS, expectedShipment, shipmentsOf, startHarness, world, type ShippingHarness } from './harness';

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Shipment { ${SHIPMENT_FIELDS} }
      ... on Order { id shipments { ${SHIPMENT_FIELDS} } }
    }
  }
`;

const shippedOrders = [...new Set(world.shipments.map((s) => s.orderId))];

describe('shipping subgraph: entities', () => {
  let hub: ShippingHarness;

  beforeAll(async () => {
    hub = await startHarness();
  });
  afterAll(() => hub.close());

  it('resolves Shipment references, null for an unknown id', async () => {
    const [a, b] = world.shipments.slice(-2);
    if (!a || !b) throw new Error('world too small');
    const result = await hub.run<{ _entities: unknown[] }>(ENTITIES, {
      representations: [a.id, 'SHP-NOPE', b.id].map((id) => ({ __typename: 'Shipment', id })),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([expectedShipment(a), null, expectedShipment(b)]);
  });

  it("resolves Order references with the order's shipments; none for an order not shipped or unknown", async () => {
    const split = shippedOrders.find((id) => shipmentsOf(id).length >= 2);
    const waiting = world.orders.find((o) => o.status === 'ACCEPTED');
    if (!split || !waiting) throw new Error('the world lacks a split or a waiting order');
    const result = await hub.run<{ _entities: unknown[] }>(ENTITIES, {
      representations: [split, waiting.id, 'ORD-NOPE'].map((id) => ({ __typename: 'Order', id })),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: split, shipments: shipmentsOf(split).map(expectedShipment) },
      { id: waiting.id, shipments: [] },
      { id: 'ORD-NOPE', shipments: [] },
    ]);
  });

  it("fetches the shipments of 50 orders in ONE backend request", async () => {
    const orders = shippedOrders.slice(0, 50);
    await hub.resetBackendRequests();
    const result = await hub.run<{ _entities: { id: string; shipments: { id: string }[] }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id shipments { id } } } }',
      { r: orders.map((id) => ({ __typename: 'Order', id })) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual(orders.map((id) => ({ id, shipments: shipmentsOf(id).map((s) => ({ id: s.id })) })));
    expect(await hub.backendRequests()).toBe(1);
  });

  it('batches 50 Shipment representations into exactly one request', async () => {
    const shipments = world.shipments.slice(0, 50);
    await hub.resetBackendRequests();
    const result = await hub.run<{ _entities: unknown[] }>(ENTITIES, {
      representations: shipments.map((s) => ({ __typename: 'Shipment', id: s.id })),
    });
    expect(result.data?._entities).toEqual(shipments.map(expectedShipment));
    expect(await hub.backendRequests()).toBe(1);
  });
});
