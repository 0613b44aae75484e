import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WmsHttpConnector } from '@crossdock/connectors';
import { startWmsSimulator, type RunningSimulator } from '../src/index';
import { generateWorld } from '../src/world';
import { resetStats, stats } from './support';

const world = generateWorld();

describe('WmsHttpConnector against the WMS simulator', () => {
  let sim: RunningSimulator;
  let wms: WmsHttpConnector;

  beforeAll(async () => {
    sim = await startWmsSimulator({ port: 0 });
    wms = new WmsHttpConnector({ baseUrl: sim.url });
  });
  afterAll(async () => {
    await wms.close();
    await sim.close();
  });
  beforeEach(() => resetStats(sim.url));

  it('lists warehouses and looks them up by id with one call', async () => {
    const expected = [...world.warehouses].sort((a, b) => a.priority - b.priority).map(({ id, name, region, priority }) => ({ id, name, region, priority }));
    expect(await wms.listWarehouses()).toEqual(expected);
    const found = await wms.warehousesByIds(['WH-WEST', 'WH-NOWHERE', 'WH-EAST']);
    expect(found.map((w) => w?.id ?? null)).toEqual(['WH-WEST', null, 'WH-EAST']);
    expect((await stats(sim.url)).requests).toEqual({ 'GET /wms/v1/warehouses': 2 });
  });

  it('translates stock positions with epoch-second times as ISO-8601 UTC', async () => {
    const sku = 'SKU-00007';
    const [positions] = await wms.positionsBySkus([sku]);
    const expected = world.positions
      .filter((p) => p.sku === sku)
      .map((p) => ({
        sku,
        warehouseId: p.warehouseId,
        onHand: p.onHand,
        reserved: p.reserved,
        safetyStock: p.safetyStock,
        updatedAt: new Date(Math.floor(p.updatedAtMs / 1000) * 1000).toISOString(),
      }));
    expect(positions).toEqual(expected);
  });

  it('aligns 100 SKUs with their positions in one request, [] for unknown', async () => {
    const skus = [...world.products.slice(0, 99).map((p) => p.sku), 'SKU-NOPE'];
    const result = await wms.positionsBySkus(skus);
    expect(result.map((positions) => positions.every((p, _, all) => p.sku === all[0]?.sku))).toEqual(skus.map(() => true));
    expect(result.slice(0, 99).every((positions) => positions.length >= 2)).toBe(true);
    expect(result[99]).toEqual([]);
    expect((await stats(sim.url)).requests).toEqual({ 'POST /wms/v1/stock/query': 1 });
  });

  it('maps every order status to a consistent fulfillment', async () => {
    const statuses = ['ACCEPTED', 'ON_HOLD', 'ALLOCATED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
    const orders = statuses.map((status) => world.orders.find((o) => o.status === status));
    const ids = [...orders.map((o) => o?.id ?? 'missing'), 'ORD-999999'];
    const result = await wms.fulfillmentsByOrderIds(ids);
    expect(result.map((f) => f?.status ?? null)).toEqual([
      'UNALLOCATED',
      'UNALLOCATED',
      world.fulfillments.find((f) => f.orderId === ids[2])?.status,
      'PARTIALLY_SHIPPED',
      'SHIPPED',
      'SHIPPED',
      'UNALLOCATED',
      null,
    ]);
    const shipped = orders[4];
    const allocated = (result[4]?.allocations ?? []).reduce((sum, a) => sum + a.quantity, 0);
    expect(allocated).toBe(shipped?.lines.reduce((sum, l) => sum + l.quantity, 0));
    expect(result[6]?.allocations).toEqual([]);
    expect((await stats(sim.url)).total).toBe(1);
  });
});
