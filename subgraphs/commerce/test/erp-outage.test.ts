import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes } from '@crossdock/testkit';
import { useStoreVariants } from './backing-stores';
import { startCaptureHarness, type CaptureHarness } from './capture-harness';
import { cancelOrder, erpPostings, eventually, placeAccepted, placeOrder, sellableSku, stored, wmsStock } from './capture-fixtures';

const variants = useStoreVariants();

describe.each(variants)('placeOrder with the ERP down (%s)', (_name, stores) => {
  let h: CaptureHarness;
  beforeAll(async () => {
    h = await startCaptureHarness({ stores, background: true, policy: { maxDegradedOrderValue: '1000.00' } });
  });
  afterAll(() => h.close());

  it('accepts on recently seen ERP data with the posting QUEUED, and posts it exactly once when the ERP is back', async () => {
    const sku = sellableSku(50);
    await placeAccepted(h, { lines: [{ sku, quantity: 1 }] }); // the ERP answers: customer and price are now known
    const reservedBefore = (await wmsStock(h, sku)).reserved;
    await h.setFault('down', 'erp');
    let id: string;
    try {
      const order = await placeAccepted(h, { lines: [{ sku, quantity: 2 }] });
      id = order.id;
      expect(order.status).toBe('ACCEPTED');
      const placed = await stored(h, id);
      expect(placed.postings.erp).toMatchObject({ state: 'QUEUED', reference: null, lastError: expect.stringContaining('erp') });
      expect(placed.postings.erp.attempts).toBeGreaterThanOrEqual(1);
      // Stock does not wait for the ERP: the WMS holds it already.
      expect(placed.postings.wms.state).toBe('POSTED');
      expect((await wmsStock(h, sku)).reserved).toBe(reservedBefore + 2);
      expect((await erpPostings(h.sims.erp, id)).salesOrderNos).toEqual([]);

      const unknown = await placeOrder(h, { customerId: 'CUST-0007', lines: [{ sku, quantity: 1 }] });
      expect(errorCodes(unknown.errors)).toEqual([{ code: 'BACKEND_UNAVAILABLE', path: ['placeOrder'] }]);
      expect(unknown.errors[0]?.extensions?.backend).toBe('erp');
      const tooBig = await placeOrder(h, { lines: [{ sku, quantity: 50 }] });
      expect(errorCodes(tooBig.errors)).toEqual([{ code: 'BACKEND_UNAVAILABLE', path: ['placeOrder'] }]);
      expect(tooBig.errors[0]?.message).toMatch(/above 1000\.00 USD/);
    } finally {
      await h.setFault('none', 'erp');
    }
    const posted = await eventually(async () => {
      const order = await stored(h, id);
      return order.postings.erp.state === 'POSTED' ? order : null;
    });
    expect(posted.postings.erp.reference).toMatch(/\S/);
    const [erpOrder] = await h.erp.erpOrdersByOrderIds([id]);
    expect(erpOrder?.erpOrderNumber).toBe(posted.postings.erp.reference);
    // A few more worker rounds change nothing: exactly one sales order.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await erpPostings(h.sims.erp, id)).toEqual({ requests: 1, salesOrderNos: [posted.postings.erp.reference] });
  });
});

describe('an order cancelled before its queued posting is delivered', () => {
  let h: CaptureHarness;
  beforeAll(async () => {
    h = await startCaptureHarness(); // no background worker: the test runs its rounds
  });
  afterAll(() => h.close());

  it('is never posted to the ERP afterwards', async () => {
    const sku = sellableSku(51);
    await placeAccepted(h, { lines: [{ sku, quantity: 1 }] });
    await h.setFault('down', 'erp');
    let id: string;
    try {
      id = (await placeAccepted(h, { lines: [{ sku, quantity: 1 }] })).id;
    } finally {
      await h.setFault('none', 'erp');
    }
    expect((await stored(h, id)).postings.erp.state).toBe('QUEUED');
    expect((await cancelOrder(h, id, 'changed')).payload?.order?.status).toBe('CANCELLED');
    await eventually(async () => ((await h.capture.outbox.runOnce(new Date(Date.now() + 60_000))).claimed > 0 ? true : null));
    expect((await stored(h, id)).postings.erp).toMatchObject({ state: 'POSTED', reference: null });
    expect(await erpPostings(h.sims.erp, id)).toEqual({ requests: 0, salesOrderNos: [] });
  });
});
