import { afterEach, describe, expect, it } from '@jest/globals';
import { CommerceHttpConnector } from '@crossdock/connectors';
import type { Order } from '@crossdock/model';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulators } from '../src/index';
import { startReceiver } from './support';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** Runs the simulators with a fast activity driver until the store has its first shopper order. */
async function firstShopperOrder(): Promise<{ order: Order; wmsNotice: unknown; carrierNotice: unknown }> {
  const wmsHook = await startReceiver();
  const carrierHook = await startReceiver();
  cleanup.push(() => wmsHook.close(), () => carrierHook.close());
  // Millisecond pauses so the test sees every kind of event quickly; the demo default is 1–3 s.
  const sims = await startSimulators({ wmsWebhookUrl: wmsHook.url, shippingWebhookUrl: carrierHook.url, activity: { seed: 7, minDelayMs: 2, maxDelayMs: 6 } });
  const commerce = new CommerceHttpConnector({ baseUrl: sims.commerce.url });
  cleanup.push(() => sims.close(), () => commerce.close());
  let order: Order | null = null;
  while (order === null) {
    order = (await commerce.ordersByIds(['ORD-S00001']))[0] ?? null;
    if (order === null) await sleep(10);
  }
  const [wmsNotice] = await wmsHook.waitFor(1);
  const [carrierNotice] = await carrierHook.waitFor(1);
  return { order, wmsNotice: JSON.parse(wmsNotice?.body ?? 'null'), carrierNotice: JSON.parse(carrierNotice?.body ?? 'null') };
}

describe('SIM_ACTIVITY', () => {
  it('receives goods, scans parcels and takes store orders, the same way on every run', async () => {
    const first = await firstShopperOrder();
    expect(first.wmsNotice).toMatchObject({ event: 'stock.movement', movement_type: 'ADJUST', reserved_delta: 0, delta: expect.any(Number) });
    expect(first.carrierNotice).toMatchObject({ eventType: 'shipment.tracking_updated', shipment: { statusCode: expect.any(String) } });
    expect(first.order).toMatchObject({ id: 'ORD-S00001', status: 'ACCEPTED' });
    expect(first.order.lines.length).toBeGreaterThan(0);
    for (const close of cleanup.splice(0).reverse()) await close();

    const again = await firstShopperOrder();
    // Same seed, same choices: the first shopper buys the same things (only the clock differs).
    expect({ ...again.order, placedAt: null }).toEqual({ ...first.order, placedAt: null });
  });
});
