import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ShippingHttpConnector } from '@crossdock/connectors';
import { SHIPMENT_STATUSES } from '@crossdock/model';
import { startShippingSimulator, type RunningSimulator } from '../src/index';
import { generateWorld } from '../src/world';
import { resetStats, stats } from './support';

const world = generateWorld();
const iso = (ms: number) => new Date(ms).toISOString();

describe('ShippingHttpConnector against the carrier simulator', () => {
  let sim: RunningSimulator;
  let shipping: ShippingHttpConnector;

  beforeAll(async () => {
    sim = await startShippingSimulator({ port: 0 });
    shipping = new ShippingHttpConnector({ baseUrl: sim.url });
  });
  afterAll(async () => {
    await shipping.close();
    await sim.close();
  });
  beforeEach(() => resetStats(sim.url));

  it('translates a returned parcel: status codes, scans oldest first, local times to UTC', async () => {
    const returned = world.shipments.find((s) => s.status === 'RETURNED');
    const order = world.orders.find((o) => o.id === returned?.orderId);
    if (!returned || !order) throw new Error('no returned parcel');
    const [shipment] = await shipping.shipmentsByIds([returned.id]);
    expect(shipment).toEqual({
      id: returned.id,
      orderId: returned.orderId,
      customerId: order.customerId,
      channel: order.channel,
      shipFromWarehouseId: returned.warehouseId,
      carrier: returned.carrier,
      trackingNumber: returned.trackingNumber,
      status: 'RETURNED',
      events: returned.events.map((e) => ({ at: iso(e.atMs), status: e.status, location: e.place.city, description: e.description })),
      estimatedDelivery: null,
    });
  });

  it('reports every shipment status, 778 ids in 8 requests', async () => {
    const ids = world.shipments.map((s) => s.id);
    const shipments = await shipping.shipmentsByIds(ids);
    expect(shipments.map((s) => s?.id)).toEqual(ids);
    expect(new Set(shipments.map((s) => s?.status))).toEqual(new Set(SHIPMENT_STATUSES));
    expect((await stats(sim.url)).total).toBe(Math.ceil(ids.length / 100));
  });

  it('groups parcels by order in one request, [] for orders without any', async () => {
    const split = world.orders.find((o) => world.shipments.filter((s) => s.orderId === o.id).length >= 2);
    const waiting = world.orders.find((o) => o.status === 'ACCEPTED');
    if (!split || !waiting) throw new Error('missing orders');
    const result = await shipping.shipmentsByOrderIds([split.id, waiting.id, 'ORD-NOPE']);
    expect(result[0]?.map((s) => s.id)).toEqual(world.shipments.filter((s) => s.orderId === split.id).map((s) => s.id));
    expect(result.slice(1)).toEqual([[], []]);
    expect((await stats(sim.url)).requests).toEqual({ 'POST /v1/shipments/search': 1 });
  });
});
