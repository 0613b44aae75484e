import { afterEach, describe, expect, it } from '@jest/globals';
import { readWmsStockMovement, WmsHttpConnector, ShippingHttpConnector } from '@crossdock/connectors';
import { signBody, startShippingSimulator, startWmsSimulator, type RunningSimulator } from '../src/index';
import { isRecord } from '../src/http-kit';
import { generateWorld } from '../src/world';
import { getJson, postJson, startReceiver } from './support';

const world = generateWorld();
const SECRET = 'test-secret';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function track<T extends { close(): Promise<void> }>(thing: T): Promise<T> {
  cleanup.push(() => thing.close());
  return thing;
}

describe('WMS adjust', () => {
  it('changes stock on hand and sends a signed stock-movement notice', async () => {
    const receiver = await track(await startReceiver());
    const sim: RunningSimulator = await track(await startWmsSimulator({ webhookUrl: receiver.url, webhookSecret: SECRET }));
    const wms = await track(new WmsHttpConnector({ baseUrl: sim.url }));
    const position = world.positions[0];
    if (!position) throw new Error('no positions');

    const answer = await postJson(`${sim.url}/_admin/adjust`, { sku: position.sku, warehouseId: position.warehouseId, delta: 5 });
    expect(answer.status).toBe(200);
    const [positions] = await wms.positionsBySkus([position.sku]);
    expect(positions?.find((p) => p.warehouseId === position.warehouseId)?.onHand).toBe(position.onHand + 5);

    const [notice] = await receiver.waitFor(1);
    expect(notice?.headers['x-wms-signature']).toBe(signBody(notice?.body ?? '', SECRET));
    const payload: unknown = JSON.parse(notice?.body ?? '{}');
    expect(payload).toMatchObject({
      event: 'stock.movement',
      item_code: position.sku,
      warehouse_code: position.warehouseId,
      delta: 5,
      qty_on_hand: position.onHand + 5,
    });

    await postJson(`${sim.url}/_admin/reset`);
    const [restored] = await wms.positionsBySkus([position.sku]);
    expect(restored?.find((p) => p.warehouseId === position.warehouseId)?.onHand).toBe(position.onHand);
  });

  it('numbers its notices with a movement number that only grows, across a reset too, as readWmsStockMovement reads it', async () => {
    const receiver = await track(await startReceiver());
    const sim = await track(await startWmsSimulator({ webhookUrl: receiver.url, webhookSecret: SECRET }));
    const [first, second] = world.positions;
    if (!first || !second) throw new Error('no positions');
    await postJson(`${sim.url}/_admin/adjust`, { sku: first.sku, warehouseId: first.warehouseId, delta: 1 });
    await postJson(`${sim.url}/_admin/adjust`, { sku: second.sku, warehouseId: second.warehouseId, delta: 1 });
    await postJson(`${sim.url}/_admin/reset`);
    await postJson(`${sim.url}/_admin/adjust`, { sku: first.sku, warehouseId: first.warehouseId, delta: 1 });
    const notices = await receiver.waitFor(3);
    const sequences = notices.map((notice) => readWmsStockMovement(JSON.parse(notice.body)).sequence ?? Number.NaN);
    expect(sequences.every(Number.isSafeInteger)).toBe(true);
    // Delivered concurrently, so maybe not in order; numbered in the order they happened.
    expect([...sequences].sort((a, b) => a - b)).toEqual([...new Set(sequences)].sort((a, b) => a - b));
    const byMovement = notices.map((notice, i) => ({ body: JSON.parse(notice.body) as { item_code: string; warehouse_code: string; qty_on_hand: number }, seq: sequences[i]! }));
    const at = (p: { sku: string; warehouseId: string }) => byMovement.filter((n) => n.body.item_code === p.sku && n.body.warehouse_code === p.warehouseId);
    const firstPosition = at(first).sort((a, b) => a.seq - b.seq);
    expect(firstPosition.map((n) => n.body.qty_on_hand)).toEqual([first.onHand + 1, first.onHand + 1]);
    // The first position's movement after the reset has a higher number than the second's before it.
    expect(firstPosition[1]!.seq).toBeGreaterThan(at(second)[0]!.seq);
  });

  it('refuses unknown SKUs and warehouses, bad deltas and negative stock', async () => {
    const sim = await track(await startWmsSimulator());
    const position = world.positions[0];
    if (!position) throw new Error('no positions');
    const adjust = (body: unknown) => postJson(`${sim.url}/_admin/adjust`, body).then((a) => a.status);
    expect(await adjust({ sku: 'SKU-NOPE', warehouseId: 'WH-EAST', delta: 1 })).toBe(400);
    expect(await adjust({ sku: position.sku, warehouseId: 'WH-MOON', delta: 1 })).toBe(400);
    expect(await adjust({ sku: position.sku, warehouseId: position.warehouseId, delta: 1.5 })).toBe(400);
    expect(await adjust({ sku: position.sku, warehouseId: position.warehouseId, delta: -(position.onHand + 1) })).toBe(400);
    expect(await adjust('nonsense')).toBe(400);
  });

  it('retries a failing receiver, and a dead one never breaks the simulator', async () => {
    const flaky = await track(await startReceiver(2));
    const sim = await track(await startWmsSimulator({ webhookUrl: flaky.url, webhookSecret: SECRET }));
    const position = world.positions[1];
    if (!position) throw new Error('no positions');
    await postJson(`${sim.url}/_admin/adjust`, { sku: position.sku, warehouseId: position.warehouseId, delta: 3 });
    const attempts = await flaky.waitFor(3);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);

    const dead = await startReceiver();
    await dead.close();
    const lonely = await track(await startWmsSimulator({ webhookUrl: dead.url }));
    expect((await postJson(`${lonely.url}/_admin/adjust`, { sku: position.sku, warehouseId: position.warehouseId, delta: 1 })).status).toBe(200);
    expect((await getJson(`${lonely.url}/wms/v1/warehouses`)).status).toBe(200);
  });
});

describe('carrier advance', () => {
  it('walks a parcel to delivery with signed tracking notices, then answers 409', async () => {
    const receiver = await track(await startReceiver());
    const sim = await track(await startShippingSimulator({ webhookUrl: receiver.url, webhookSecret: SECRET }));
    const shipping = await track(new ShippingHttpConnector({ baseUrl: sim.url }));
    const parcel = world.shipments.find((s) => s.status === 'LABEL_CREATED');
    if (!parcel) throw new Error('no label-created parcel');
    const advance = () => postJson(`${sim.url}/_admin/shipments/${parcel.id}/advance`);

    for (const code of ['PU', 'IT', 'OD', 'DL']) {
      const answer = await advance();
      expect(answer).toMatchObject({ status: 200, body: { shipment: { statusCode: code } } });
    }
    expect((await advance()).status).toBe(409);
    expect((await postJson(`${sim.url}/_admin/shipments/SHP-NOPE/advance`)).status).toBe(404);

    const [shipment] = await shipping.shipmentsByIds([parcel.id]);
    expect(shipment?.status).toBe('DELIVERED');
    expect(shipment?.events.map((e) => e.status)).toEqual(['LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);

    const notices = await receiver.waitFor(4);
    for (const notice of notices) expect(notice.headers['x-carrier-signature']).toBe(signBody(notice.body, SECRET));
    const codes = notices.map((n) => {
      const payload: unknown = JSON.parse(n.body);
      return isRecord(payload) && isRecord(payload.shipment) ? payload.shipment.statusCode : undefined;
    });
    expect(codes.sort()).toEqual(['DL', 'IT', 'OD', 'PU']);
  });
});
