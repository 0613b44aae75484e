import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes } from '@crossdock/testkit';
import { startCaptureHarness, type CaptureHarness } from './capture-harness';
import { cancelOrder, codesAndFields, GOOD_CUSTOMER, hubAvailable, placeAccepted, sellableSku, stored, tenThousandths, wmsStock, writer } from './capture-fixtures';
import { world, worldOrder } from './harness';

const withFulfillment = (status: string) => world.fulfillments.find((f) => f.status === status && worldOrder(f.orderId).status === 'ALLOCATED')!.orderId;

describe('cancelOrder', () => {
  let h: CaptureHarness;
  beforeAll(async () => {
    h = await startCaptureHarness();
  });
  afterAll(() => h.close());

  it('cancels a hub order everywhere and gives its stock and credit back', async () => {
    const sku = sellableSku(40);
    const [availableBefore, wmsBefore, [customerBefore]] = await Promise.all([hubAvailable(h, sku), wmsStock(h, sku), h.erp.customersByIds([GOOD_CUSTOMER])]);
    const order = await placeAccepted(h, { lines: [{ sku, quantity: 6 }] });
    expect(await hubAvailable(h, sku)).toBe(availableBefore - 6);
    expect((await wmsStock(h, sku)).reserved).toBe(wmsBefore.reserved + 6);

    const { payload } = await cancelOrder(h, order.id, 'customer changed their mind');
    expect(payload).toEqual({ order: { id: order.id, status: 'CANCELLED', channel: 'web', customer: { id: GOOD_CUSTOMER } }, errors: [] });
    expect(await hubAvailable(h, sku)).toBe(availableBefore);
    expect(await wmsStock(h, sku)).toEqual(wmsBefore);
    expect(await stored(h, order.id)).toMatchObject({ status: 'CANCELLED', cancelReason: 'customer changed their mind', cancelledAt: expect.any(String) });
    const [[fulfillment], [inPlatform], [customerAfter]] = await Promise.all([
      h.wms.fulfillmentsByOrderIds([order.id]),
      h.commerce.ordersByIds([order.id]),
      h.erp.customersByIds([GOOD_CUSTOMER]),
    ]);
    expect(fulfillment).toMatchObject({ status: 'UNALLOCATED' });
    expect(inPlatform?.status).toBe('CANCELLED');
    // The ERP gave the order's amount back to the customer's credit.
    expect(tenThousandths(customerAfter!.creditAvailable.amount)).toBe(tenThousandths(customerBefore!.creditAvailable.amount));

    const repeat = await cancelOrder(h, order.id, 'again');
    expect(repeat.payload).toEqual(payload);
    expect((await stored(h, order.id)).cancelReason).toBe('customer changed their mind');
    expect(await wmsStock(h, sku)).toEqual(wmsBefore);
  });

  it('cancels a platform order: the WMS voids its allocation and releases its stock', async () => {
    const id = withFulfillment('ALLOCATED');
    const [fulfillment] = await h.wms.fulfillmentsByOrderIds([id]);
    const sku = fulfillment!.allocations[0]!.sku;
    const allocated = fulfillment!.allocations.filter((a) => a.sku === sku).reduce((sum, a) => sum + a.quantity, 0);
    const before = await wmsStock(h, sku);
    const { payload } = await cancelOrder(h, id, null);
    expect(payload).toEqual({ order: { id, status: 'CANCELLED', channel: worldOrder(id).channel, customer: { id: worldOrder(id).customerId } }, errors: [] });
    expect((await wmsStock(h, sku)).reserved).toBe(before.reserved - allocated);
    expect((await h.wms.fulfillmentsByOrderIds([id]))[0]?.status).toBe('UNALLOCATED');
    expect((await cancelOrder(h, id, null)).payload?.order?.status).toBe('CANCELLED');
  });

  it('refuses shipped orders and orders being picked, changing nothing', async () => {
    const shipped = world.orders.find((o) => o.status === 'SHIPPED')!.id;
    const picking = withFulfillment('PICKING');
    for (const id of [shipped, picking]) {
      const { payload } = await cancelOrder(h, id, null);
      expect(payload?.order).toBeNull();
      expect(codesAndFields(payload?.errors ?? [])).toEqual([{ code: 'NOT_CANCELLABLE', field: ['id'] }]);
    }
    expect((await h.wms.fulfillmentsByOrderIds([picking]))[0]?.status).toBe('PICKING');
    expect((await h.commerce.ordersByIds([picking]))[0]?.status).toBe('ALLOCATED');
  });

  it('answers NOT_FOUND for unknown orders and for orders outside the token’s customer or channel', async () => {
    const order = await placeAccepted(h, { channel: 'marketplace', lines: [{ sku: sellableSku(41), quantity: 1 }] });
    const cases = [
      { id: 'ORD-999999', caller: null },
      { id: 'ORD-HNOTANORDER', caller: null },
      { id: order.id, caller: writer({ customerId: 'CUST-0005' }) },
      { id: order.id, caller: writer({ channel: 'web' }) },
    ];
    for (const { id, caller } of cases) {
      const { payload } = await cancelOrder(h, id, null, caller);
      expect(codesAndFields(payload?.errors ?? [])).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
    }
    expect((await stored(h, order.id)).status).toBe('ACCEPTED');
  });

  it('needs the orders:write scope', async () => {
    const result = await cancelOrder(h, 'ORD-000489', null, writer({ scopes: ['orders:read'] }));
    expect(result.payload).toBeNull();
    expect(errorCodes(result.errors)).toEqual([{ code: 'FORBIDDEN', path: ['cancelOrder'] }]);
  });

  it('with the ERP down answers BACKEND_UNAVAILABLE having changed nothing; the repeat after healing cancels', async () => {
    const sku = sellableSku(42);
    const order = await placeAccepted(h, { lines: [{ sku, quantity: 2 }] });
    const wmsBefore = await wmsStock(h, sku);
    await h.setFault('down', 'erp');
    try {
      const down = await cancelOrder(h, order.id, 'oops');
      expect(errorCodes(down.errors)).toEqual([{ code: 'BACKEND_UNAVAILABLE', path: ['cancelOrder'] }]);
      expect(down.errors[0]?.extensions?.backend).toBe('erp');
      expect((await stored(h, order.id)).status).toBe('ACCEPTED');
      expect(await wmsStock(h, sku)).toEqual(wmsBefore);
    } finally {
      await h.setFault('none', 'erp');
    }
    const healed = await cancelOrder(h, order.id, 'oops');
    expect(healed.payload?.order?.status).toBe('CANCELLED');
    expect((await wmsStock(h, sku)).reserved).toBe(wmsBefore.reserved - 2);
  });
});
