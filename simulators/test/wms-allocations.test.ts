import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WmsHttpConnector } from '@crossdock/connectors';
import { availableOf, type Allocation, type InventoryPosition } from '@crossdock/model';
import { signBody, startWmsSimulator, type RunningSimulator } from '../src/index';
import { isRecord } from '../src/http-kit';
import { generateWorld } from '../src/world';
import { backendFailure, postJson, startReceiver } from './support';

const world = generateWorld();
const SECRET = 'wms-secret';
const roomy = world.positions.filter((p) => availableOf(p) >= 20);
const [first, second] = roomy.filter((p, i, all) => all.findIndex((q) => q.sku === p.sku) === i);
const scarce = world.positions.find((p) => availableOf(p) === 0);
const picking = world.fulfillments.find((f) => f.status === 'PICKING' && !f.voided);
if (!first || !second || !scarce || !picking) throw new Error('the world lacks roomy or scarce positions or a fulfilment in picking');

describe('WMS allocations through the connector', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let sim: RunningSimulator;
  let wms: WmsHttpConnector;
  const position = async (sku: string, warehouseId: string): Promise<InventoryPosition | undefined> =>
    (await wms.positionsBySkus([sku]))[0]?.find((p) => p.warehouseId === warehouseId);
  /** The first notice (in arrival order) the predicate accepts; waits for more until one does. */
  const noticeWhere = async (accept: (payload: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
    for (let count = 1; ; count += 1) {
      const notice = (await receiver.waitFor(count))[count - 1];
      expect(notice?.headers['x-wms-signature']).toBe(signBody(notice?.body ?? '', SECRET));
      const payload: unknown = JSON.parse(notice?.body ?? 'null');
      if (isRecord(payload) && accept(payload)) return payload;
    }
  };
  const reservedAt = async (p: { sku: string; warehouseId: string }) => (await position(p.sku, p.warehouseId))?.reserved;

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startWmsSimulator({ webhookUrl: receiver.url, webhookSecret: SECRET });
    wms = new WmsHttpConnector({ baseUrl: sim.url });
  });
  afterAll(async () => {
    await wms.close();
    await sim.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await postJson(`${sim.url}/_admin/reset`);
  });

  it('reserves the stock and opens the fulfilment in ALLOC, once however often it is sent', async () => {
    const allocations: Allocation[] = [
      { warehouseId: first.warehouseId, sku: first.sku, quantity: 4 },
      { warehouseId: second.warehouseId, sku: second.sku, quantity: 2 },
    ];
    await wms.allocate('HUB-A1', allocations, { customerId: 'CUST-0007', channel: 'edi' });
    await wms.allocate('HUB-A1', [{ warehouseId: first.warehouseId, sku: first.sku, quantity: 19 }]);
    expect(await reservedAt(first)).toBe(first.reserved + 4);
    expect(await reservedAt(second)).toBe(second.reserved + 2);
    expect(await wms.fulfillmentsByOrderIds(['HUB-A1'])).toEqual([{ orderId: 'HUB-A1', customerId: 'CUST-0007', channel: 'edi', status: 'ALLOCATED', allocations }]);
    const repeat = await postJson(`${sim.url}/wms/v1/allocations`, { order_ref: 'HUB-A1', lines: [{ item_code: first.sku, warehouse_code: first.warehouseId, qty: 1 }] });
    expect(repeat).toMatchObject({ status: 200, body: { allocation: { order_ref: 'HUB-A1', state: 'ALLOC' } } });

    const reserve = await noticeWhere((p) => p.order_ref === 'HUB-A1' && p.item_code === first.sku);
    expect(reserve).toMatchObject({ event: 'stock.movement', movement_type: 'RESERVE', delta: 0, reserved_delta: 4, qty_reserved: first.reserved + 4 });
  });

  it('refuses an allocation a warehouse cannot cover and applies none of its lines', async () => {
    const lines: Allocation[] = [
      { warehouseId: first.warehouseId, sku: first.sku, quantity: 1 },
      { warehouseId: second.warehouseId, sku: second.sku, quantity: availableOf(second) + 1 },
    ];
    const error = await backendFailure(wms.allocate('HUB-SHORT', lines));
    expect(error).toMatchObject({ backend: 'wms', kind: 'client-error', status: 409, code: 'insufficient_stock' });
    expect(error.message).toContain(`${second.sku} at ${second.warehouseId}: ${availableOf(second)} available, ${availableOf(second) + 1} requested`);
    expect(await reservedAt(first)).toBe(first.reserved);
    expect(await reservedAt(second)).toBe(second.reserved);
    expect(await wms.fulfillmentsByOrderIds(['HUB-SHORT'])).toEqual([null]);

    const split = [{ warehouseId: first.warehouseId, sku: first.sku, quantity: availableOf(first) }, { warehouseId: first.warehouseId, sku: first.sku, quantity: 1 }];
    expect(await backendFailure(wms.allocate('HUB-SPLIT', split))).toMatchObject({ code: 'insufficient_stock' });
    expect(await backendFailure(wms.allocate('HUB-SCARCE', [{ warehouseId: scarce.warehouseId, sku: scarce.sku, quantity: 1 }]))).toMatchObject({ status: 409 });
    expect(await backendFailure(wms.allocate('HUB-X', [{ warehouseId: 'WH-MOON', sku: first.sku, quantity: 1 }]))).toMatchObject({ status: 422, code: 'unknown_warehouse' });
    expect(await backendFailure(wms.allocate('HUB-X', [{ warehouseId: first.warehouseId, sku: 'SKU-NOPE', quantity: 1 }]))).toMatchObject({ status: 422, code: 'unknown_item' });
  });

  it('cancels: voids, releases what was reserved, reports it once, then refuses to allocate again', async () => {
    const allocations: Allocation[] = [{ warehouseId: first.warehouseId, sku: first.sku, quantity: 5 }];
    await wms.allocate('HUB-C1', allocations);
    expect(await wms.cancelAllocation('HUB-C1')).toEqual(allocations);
    expect(await reservedAt(first)).toBe(first.reserved);
    expect(await wms.cancelAllocation('HUB-C1')).toEqual([]);
    expect(await wms.fulfillmentsByOrderIds(['HUB-C1'])).toEqual([{ orderId: 'HUB-C1', customerId: null, channel: null, status: 'UNALLOCATED', allocations: [] }]);
    expect((await postJson(`${sim.url}/wms/v1/fulfillments/query`, { order_refs: ['HUB-C1'] })).body).toMatchObject({ fulfillments: [{ state: 'VOID' }] });
    expect(await backendFailure(wms.allocate('HUB-C1', allocations))).toMatchObject({ status: 409, code: 'order_voided' });
    expect(await wms.cancelAllocation('HUB-NEVER')).toEqual([]);

    const release = await noticeWhere((p) => p.order_ref === 'HUB-C1' && p.movement_type === 'RELEASE');
    expect(release).toMatchObject({ item_code: first.sku, delta: 0, reserved_delta: -5, qty_reserved: first.reserved });
  });

  it('refuses to cancel once picking started', async () => {
    const error = await backendFailure(wms.cancelAllocation(picking.orderId));
    expect(error).toMatchObject({ kind: 'client-error', status: 409, code: 'picking_started' });
  });

  it('answers malformed requests with 400 bad_request', async () => {
    const url = `${sim.url}/wms/v1/allocations`;
    const line = { item_code: first.sku, warehouse_code: first.warehouseId, qty: 1 };
    for (const bad of ['{', [], { lines: [line] }, { order_ref: 'HUB-B', lines: [] }, { order_ref: 'HUB-B', lines: [{ ...line, qty: 0 }] }, { order_ref: 'HUB-B', lines: [{ ...line, item_code: 7 }] }]) {
      expect(await postJson(url, bad)).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^(bad_request|invalid_json)$/) } });
    }
    expect((await postJson(`${url}/HUB-B/cancel`, '"x"')).status).toBe(400);
    expect(await reservedAt(first)).toBe(first.reserved);
  });

  it('restores stock and fulfilments on reset', async () => {
    await wms.allocate('HUB-R', [{ warehouseId: first.warehouseId, sku: first.sku, quantity: 3 }]);
    await postJson(`${sim.url}/_admin/reset`);
    expect(await reservedAt(first)).toBe(first.reserved);
    expect(await wms.fulfillmentsByOrderIds(['HUB-R'])).toEqual([null]);
  });
});
