import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CaptureHarness } from './capture-harness';
import { startCaptureHarness } from './capture-harness';
import { codesAndFields, GOOD_CUSTOMER, hubAvailable, placeAccepted, placeOrder, sellableSku, setAvailable, tenThousandths, wmsStock, writer } from './capture-fixtures';
import { world } from './harness';

const unsellable = world.products.find((p) => !p.sellable)!.sku;
const onHold = world.customers.find((c) => c.onHold)!.id;

describe('placeOrder: validation', () => {
  let h: CaptureHarness;
  beforeAll(async () => {
    h = await startCaptureHarness();
  });
  afterAll(() => h.close());

  it('reports every problem at once, each at its field, and reserves and posts nothing', async () => {
    const sku = sellableSku(10);
    const before = await wmsStock(h, sku);
    const { payload } = await placeOrder(h, {
      channel: 'fax',
      customerId: 'CUST-9999',
      lines: [
        { sku: 'SKU-NOPE', quantity: 1 },
        { sku: unsellable, quantity: 1 },
        { sku, quantity: 0 },
        { sku, quantity: 100_001 },
        { sku: '', quantity: 1 },
        { sku, quantity: -3 },
      ],
    });
    expect(payload?.order).toBeNull();
    expect(codesAndFields(payload?.errors ?? [])).toEqual([
      { code: 'UNKNOWN_CHANNEL', field: ['channel'] },
      { code: 'INVALID_QUANTITY', field: ['lines', '2', 'quantity'] },
      { code: 'INVALID_QUANTITY', field: ['lines', '3', 'quantity'] },
      { code: 'UNKNOWN_SKU', field: ['lines', '4', 'sku'] },
      { code: 'INVALID_QUANTITY', field: ['lines', '5', 'quantity'] },
      { code: 'UNKNOWN_CUSTOMER', field: ['customerId'] },
      { code: 'UNKNOWN_SKU', field: ['lines', '0', 'sku'] },
      { code: 'SKU_NOT_SELLABLE', field: ['lines', '1', 'sku'] },
    ]);
    expect(payload?.errors.every((e) => e.message.length > 0)).toBe(true);
    expect(await wmsStock(h, sku)).toEqual(before);
  });

  it('refuses an order without lines at ["lines"]', async () => {
    const { payload } = await placeOrder(h, { lines: [] });
    expect(codesAndFields(payload?.errors ?? [])).toEqual([{ code: 'INVALID_QUANTITY', field: ['lines'] }]);
  });

  it('accepts the largest quantity allowed and refuses one more', async () => {
    const { payload } = await placeOrder(h, { lines: [{ sku: sellableSku(11), quantity: 100_000 }] });
    // 100000 passes the quantity check; it then fails on credit or stock, never on quantity.
    expect(payload?.errors.map((e) => e.code)).not.toContain('INVALID_QUANTITY');
    const over = await placeOrder(h, { lines: [{ sku: sellableSku(11), quantity: 100_001 }] });
    expect(codesAndFields(over.payload?.errors ?? [])).toEqual([{ code: 'INVALID_QUANTITY', field: ['lines', '0', 'quantity'] }]);
  });

  it('refuses a customer on credit hold at ["customerId"]', async () => {
    const { payload } = await placeOrder(h, { customerId: onHold, lines: [{ sku: sellableSku(12), quantity: 1 }] });
    expect(payload?.order).toBeNull();
    expect(codesAndFields(payload?.errors ?? [])).toEqual([{ code: 'CREDIT_HOLD', field: ['customerId'] }]);
  });

  it('refuses an order above the available credit at the customer’s own prices, and takes one just within it', async () => {
    const customer = world.customers.find((c) => !c.onHold && c.discountPercent > 0)!;
    const sku = sellableSku(13);
    const [[price], [erpCustomer]] = await Promise.all([h.erp.pricesFor(customer.id, [sku]), h.erp.customersByIds([customer.id])]);
    const unit = tenThousandths(price!.amount);
    const credit = tenThousandths(erpCustomer!.creditAvailable.amount);
    const fits = Number(credit / unit);
    await setAvailable(h, sku, fits + 10);
    const over = await placeOrder(h, { customerId: customer.id, lines: [{ sku, quantity: fits + 1 }] });
    expect(codesAndFields(over.payload?.errors ?? [])).toEqual([{ code: 'CREDIT_LIMIT_EXCEEDED', field: ['lines'] }]);
    expect(over.payload?.errors[0]?.message).toContain(erpCustomer!.creditAvailable.amount);
    const within = await placeOrder(h, { customerId: customer.id, lines: [{ sku, quantity: fits }] });
    expect(within.payload?.errors).toEqual([]);
    expect(within.payload?.order?.status).toBe('ACCEPTED');
  });

  it('reports INSUFFICIENT_STOCK per short line and reserves nothing for any line', async () => {
    const [plenty, scarce] = [sellableSku(14), sellableSku(15)];
    await setAvailable(h, scarce, 4);
    const plentyBefore = await hubAvailable(h, plenty);
    const { payload } = await placeOrder(h, {
      lines: [
        { sku: plenty, quantity: 5 },
        { sku: scarce, quantity: 5 },
        { sku: scarce, quantity: 1 },
      ],
    });
    expect(payload?.order).toBeNull();
    // The first scarce line takes nothing when short, so the second (1 of 4) is not short.
    expect(codesAndFields(payload?.errors ?? [])).toEqual([{ code: 'INSUFFICIENT_STOCK', field: ['lines', '1', 'quantity'] }]);
    expect(payload?.errors[0]?.message).toMatch(/only 4 .* 5 requested/);
    expect(await hubAvailable(h, plenty)).toBe(plentyBefore);
    expect(await hubAvailable(h, scarce)).toBe(4);
    // What was refused is still there to be sold.
    await placeAccepted(h, { lines: [{ sku: scarce, quantity: 4 }] });
    expect(await hubAvailable(h, scarce)).toBe(0);
  });

  it('lets a channel token place only for its channel: CHANNEL_MISMATCH at ["channel"]', async () => {
    const { payload } = await placeOrder(h, { channel: 'web', lines: [{ sku: sellableSku(16), quantity: 1 }] }, writer({ channel: 'marketplace' }));
    expect(payload?.order).toBeNull();
    expect(codesAndFields(payload?.errors ?? [])).toEqual([{ code: 'CHANNEL_MISMATCH', field: ['channel'] }]);
  });

  it('treats another customer as unknown for a portal token: UNKNOWN_CUSTOMER, nothing reserved', async () => {
    const sku = sellableSku(17);
    const before = await hubAvailable(h, sku);
    const { payload } = await placeOrder(h, { customerId: 'CUST-0005', lines: [{ sku, quantity: 1 }] }, writer({ customerId: GOOD_CUSTOMER }));
    expect(codesAndFields(payload?.errors ?? [])).toEqual([{ code: 'UNKNOWN_CUSTOMER', field: ['customerId'] }]);
    expect(await hubAvailable(h, sku)).toBe(before);
  });

  it('refuses an empty or overlong idempotency key at ["idempotencyKey"]', async () => {
    for (const idempotencyKey of ['', ' ', 'k'.repeat(201)]) {
      const { payload } = await placeOrder(h, { idempotencyKey, lines: [{ sku: sellableSku(18), quantity: 1 }] });
      expect(codesAndFields(payload?.errors ?? [])).toEqual([{ code: 'INVALID_IDEMPOTENCY_KEY', field: ['idempotencyKey'] }]);
    }
  });
});
