import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, setSimulatorFault } from '@crossdock/testkit';
import { useStoreVariants } from './backing-stores';
import { startCaptureHarness, type CaptureHarness } from './capture-harness';
import { newHubOrderId } from '@crossdock/orders';
import { codesAndFields, erpPostings, GOOD_CUSTOMER, hubAvailable, newKey, placeAccepted, placeOrder, sellableSku, stored, wmsStock, writer } from './capture-fixtures';

const variants = useStoreVariants();

describe.each(variants)('placeOrder idempotency (%s)', (_name, stores) => {
  let h: CaptureHarness;
  beforeAll(async () => {
    h = await startCaptureHarness({ stores, policy: { duplicateWaitMs: 10_000 } });
  });
  afterAll(() => h.close());

  it('answers a repeat with the first order, whatever its lines say, reserving and posting nothing again', async () => {
    const [first, other] = [sellableSku(20), sellableSku(21)];
    const [firstBefore, otherBefore] = [await wmsStock(h, first), await wmsStock(h, other)];
    const idempotencyKey = newKey();
    const a = await placeOrder(h, { idempotencyKey, externalRef: 'PO-1', lines: [{ sku: first, quantity: 2 }] });
    const b = await placeOrder(h, { idempotencyKey, externalRef: 'PO-2', lines: [{ sku: other, quantity: 7 }] });
    expect(a.payload?.errors).toEqual([]);
    expect(b.payload).toEqual(a.payload);
    expect(b.payload?.order?.lines).toEqual([{ lineNumber: 1, sku: first, quantity: 2 }]);
    const id = a.payload!.order!.id;
    expect(await erpPostings(h.sims.erp, id)).toEqual({ requests: 1, salesOrderNos: [expect.any(String)] });
    expect((await wmsStock(h, first)).reserved).toBe(firstBefore.reserved + 2);
    expect(await wmsStock(h, other)).toEqual(otherBefore);
    // The same key on another channel is another order.
    const elsewhere = await placeOrder(h, { idempotencyKey, channel: 'edi', lines: [{ sku: first, quantity: 1 }] });
    expect(elsewhere.payload?.order?.id).toMatch(/^ORD-H/);
    expect(elsewhere.payload?.order?.id).not.toBe(id);
  });

  it('answers a repeat of a refused order with the same errors, even when the repeat is valid', async () => {
    const idempotencyKey = newKey();
    const first = await placeOrder(h, { idempotencyKey, customerId: 'CUST-0000', lines: [{ sku: sellableSku(22), quantity: 1 }] });
    expect(codesAndFields(first.payload?.errors ?? [])).toEqual([{ code: 'UNKNOWN_CUSTOMER', field: ['customerId'] }]);
    const repeat = await placeOrder(h, { idempotencyKey, customerId: GOOD_CUSTOMER, lines: [{ sku: sellableSku(22), quantity: 1 }] });
    expect(repeat.payload).toEqual(first.payload);
  });

  it('places ONE order for 20 identical requests racing with the same key', async () => {
    const sku = sellableSku(23);
    const before = await wmsStock(h, sku);
    const idempotencyKey = newKey();
    const answers = await Promise.all(Array.from({ length: 20 }, () => placeOrder(h, { idempotencyKey, lines: [{ sku, quantity: 3 }] })));
    const ids = new Set(answers.map((a) => a.payload?.order?.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(id).toMatch(/^ORD-H/);
    expect(answers.every((a) => a.errors.length === 0 && a.payload?.errors.length === 0)).toBe(true);
    expect((await h.stores.orderStore.getByIdempotencyKey(`web:${idempotencyKey}`))?.id).toBe(id);
    expect((await wmsStock(h, sku)).reserved).toBe(before.reserved + 3);
    expect(await erpPostings(h.sims.erp, id!)).toEqual({ requests: 1, salesOrderNos: [expect.any(String)] });
  });

  it('does not hand one customer the order another customer placed with the same key', async () => {
    const idempotencyKey = newKey();
    const mine = await placeOrder(h, { idempotencyKey, channel: 'b2b-portal', lines: [{ sku: sellableSku(24), quantity: 1 }] }, writer({ customerId: GOOD_CUSTOMER }));
    expect(mine.payload?.order?.customer.id).toBe(GOOD_CUSTOMER);
    const theirs = await placeOrder(h, { idempotencyKey, channel: 'b2b-portal', customerId: 'CUST-0005', lines: [{ sku: sellableSku(24), quantity: 1 }] }, writer({ customerId: 'CUST-0005' }));
    expect(codesAndFields(theirs.payload?.errors ?? [])).toEqual([{ code: 'IDEMPOTENCY_KEY_CONFLICT', field: ['idempotencyKey'] }]);
  });

  it('answers a retry with the order a request stored before it died without storing its answer, even where the retry would now be refused', async () => {
    const sku = sellableSku(28);
    const template = await stored(h, (await placeAccepted(h, { lines: [{ sku, quantity: 2 }] })).id);
    // What a request leaves that died between storing its order and storing its answer: the
    // order under its key in the order store, nothing under the key in the idempotency store.
    const leftBehind = async () => {
      const idempotencyKey = newKey();
      const order = { ...template, id: newHubOrderId(), idempotencyKey: `web:${idempotencyKey}` };
      expect(await h.stores.orderStore.insert(order)).toBe('inserted');
      return { idempotencyKey, order };
    };

    const first = await leftBehind();
    const availableBefore = await hubAvailable(h, sku);
    const retry = await placeOrder(h, { idempotencyKey: first.idempotencyKey, lines: [{ sku, quantity: 2 }] });
    expect(retry.payload?.errors).toEqual([]);
    expect(retry.payload?.order?.id).toBe(first.order.id);
    // The retry's own reservation was given back when the stored order won the key.
    expect(await hubAvailable(h, sku)).toBe(availableBefore);

    const second = await leftBehind();
    const refusedNow = await placeOrder(h, { idempotencyKey: second.idempotencyKey, customerId: 'CUST-0000', lines: [{ sku, quantity: 2 }] });
    expect(refusedNow.payload?.errors).toEqual([]);
    expect(refusedNow.payload?.order?.id).toBe(second.order.id);
    // And that answer is the key's answer from now on.
    expect((await placeOrder(h, { idempotencyKey: second.idempotencyKey, lines: [{ sku, quantity: 1 }] })).payload?.order?.id).toBe(second.order.id);
  });

  it('frees the key when the request fails inside, so the retry places the order', async () => {
    const sku = sellableSku(25);
    const idempotencyKey = newKey();
    await placeOrder(h, { lines: [{ sku: sellableSku(26), quantity: 1 }] }); // warms the warehouse list
    await h.setFault('down', 'wms');
    try {
      const failed = await placeOrder(h, { idempotencyKey, lines: [{ sku, quantity: 1 }] });
      expect(failed.payload).toBeNull();
      expect(errorCodes(failed.errors)).toEqual([{ code: 'BACKEND_UNAVAILABLE', path: ['placeOrder'] }]);
      expect(failed.errors[0]?.extensions?.backend).toBe('wms');
    } finally {
      await h.setFault('none', 'wms');
    }
    const retry = await placeOrder(h, { idempotencyKey, lines: [{ sku, quantity: 1 }] });
    expect(retry.payload?.order?.status).toBe('ACCEPTED');
    expect((await stored(h, retry.payload!.order!.id)).postings.wms.state).toBe('POSTED');
  });
});

describe('placeOrder: a duplicate while the first is still running', () => {
  let h: CaptureHarness;
  beforeAll(async () => {
    h = await startCaptureHarness({ policy: { duplicateWaitMs: 300 } });
  });
  afterAll(() => h.close());

  it('waits a bounded time, then answers TEMPORARILY_UNAVAILABLE; the first is placed and answers later repeats', async () => {
    const idempotencyKey = newKey();
    const input = { idempotencyKey, lines: [{ sku: sellableSku(27), quantity: 1 }] };
    await setSimulatorFault(h.sims.erp.url, { mode: 'slow', latencyMs: 1_000 });
    let first: ReturnType<typeof placeOrder>;
    try {
      first = placeOrder(h, input);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const duplicate = await placeOrder(h, input);
      expect(duplicate.payload).toBeNull();
      expect(errorCodes(duplicate.errors)).toEqual([{ code: 'TEMPORARILY_UNAVAILABLE', path: ['placeOrder'] }]);
      expect(duplicate.errors[0]?.message).toMatch(/still being placed/);
    } finally {
      await setSimulatorFault(h.sims.erp.url, { mode: 'none' });
    }
    const placed = await first;
    expect(placed.payload?.order?.status).toBe('ACCEPTED');
    expect((await placeOrder(h, input)).payload?.order?.id).toBe(placed.payload?.order?.id);
  });
});
