import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useStoreVariants } from './backing-stores';
import { startCaptureHarness, type CaptureHarness } from './capture-harness';
import { hubAvailable, placeOrder, sellableSku, setAvailable, wmsStock } from './capture-fixtures';

const variants = useStoreVariants();

describe.each(variants)('placeOrder: many channels racing for scarce stock (%s)', (_name, stores) => {
  let h: CaptureHarness;
  beforeAll(async () => {
    // No ledger refresh during the race: the test knows exactly what the WMS had at its start.
    h = await startCaptureHarness({ stores, policy: { maxStockAgeMs: 120_000 } });
  });
  afterAll(() => h.close());

  it('never reserves more than was available; every loser gets INSUFFICIENT_STOCK and holds nothing', async () => {
    const sku = sellableSku(30);
    await setAvailable(h, sku, 25);
    const before = await wmsStock(h, sku);
    const channels = ['web', 'edi', 'marketplace', 'b2b-portal'];
    const requests = Array.from({ length: 60 }, (_, i) => ({ channel: channels[i % channels.length], quantity: 1 + (i % 3) }));
    const answers = await Promise.all(requests.map(({ channel, quantity }) => placeOrder(h, { channel, lines: [{ sku, quantity }] })));

    const winners = answers.flatMap((a, i) => (a.payload?.order ? [{ id: a.payload.order.id, quantity: requests[i]!.quantity }] : []));
    const losers = answers.flatMap((a, i) => (a.payload?.order ? [] : [{ errors: a.payload?.errors, quantity: requests[i]!.quantity }]));
    const sold = winners.reduce((sum, w) => sum + w.quantity, 0);
    expect(answers.every((a) => a.errors.length === 0)).toBe(true);
    expect(sold).toBeLessThanOrEqual(25);
    // Stock left over is less than any loser asked for: nobody was refused what was there.
    for (const loser of losers) {
      expect(loser.errors?.map(({ code, field }) => ({ code, field }))).toEqual([{ code: 'INSUFFICIENT_STOCK', field: ['lines', '0', 'quantity'] }]);
      expect(loser.quantity).toBeGreaterThan(25 - sold);
    }
    expect(winners.length + losers.length).toBe(60);
    // The WMS holds exactly what the winners ordered, each winner's allocation in full.
    expect((await wmsStock(h, sku)).reserved).toBe(before.reserved + sold);
    const fulfillments = await h.wms.fulfillmentsByOrderIds(winners.map((w) => w.id));
    fulfillments.forEach((f, i) => expect(f?.allocations.reduce((sum, a) => sum + a.quantity, 0)).toBe(winners[i]!.quantity));
    expect(await hubAvailable(h, sku)).toBe(25 - sold);
  });
});
