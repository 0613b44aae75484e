import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { availableOf } from '@crossdock/model';
import type { CaptureHarness } from './capture-harness';
import { startCaptureHarness } from './capture-harness';
import { erpPostings, GOOD_CUSTOMER, placeAccepted, placeOrder, sellableSku, stored, tenThousandths, wmsStock, writer } from './capture-fixtures';
import { ORDER_FIELDS, errorsOf } from './harness';

describe('placeOrder: an accepted order', () => {
  let h: CaptureHarness;
  beforeAll(async () => {
    h = await startCaptureHarness();
  });
  afterAll(() => h.close());

  it('is priced from the ERP, reserved in one warehouse, stored, and posted to the ERP, WMS and platform', async () => {
    const [skuA, skuB] = [sellableSku(1), sellableSku(5)];
    const [priceA, priceB] = await h.erp.pricesFor(GOOD_CUSTOMER, [skuA, skuB]);
    const [positionsA = [], positionsB = []] = await h.wms.positionsBySkus([skuA, skuB]);
    const warehouses = [...(await h.wms.listWarehouses())].sort((a, b) => a.priority - b.priority);
    const free = (positions: typeof positionsA, id: string) => availableOf(positions.find((p) => p.warehouseId === id) ?? { onHand: 0, reserved: 0, safetyStock: 0 });
    // single-warehouse-first: the best-priority warehouse that holds the whole order.
    const whole = warehouses.find((w) => free(positionsA, w.id) >= 3 && free(positionsB, w.id) >= 2);
    const [customerBefore] = await h.erp.customersByIds([GOOD_CUSTOMER]);
    const reservedBefore = (await wmsStock(h, skuA)).reserved;

    const order = await placeAccepted(h, { channel: 'b2b-portal', externalRef: 'PO-4711', lines: [{ sku: skuA, quantity: 3 }, { sku: skuB, quantity: 2 }] });

    expect(order).toEqual({
      id: expect.stringMatching(/^ORD-H[0-9A-Z]{9}[0-9A-F]{16}$/),
      channel: 'b2b-portal',
      externalRef: 'PO-4711',
      status: 'ACCEPTED',
      placedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      customer: { id: GOOD_CUSTOMER },
      lines: [
        { lineNumber: 1, sku: skuA, quantity: 3 },
        { lineNumber: 2, sku: skuB, quantity: 2 },
      ],
    });
    const placed = await stored(h, order.id);
    expect(placed.lines.map((l) => l.unitPrice)).toEqual([priceA, priceB]);
    const expectedTotal = tenThousandths(priceA!.amount) * 3n + tenThousandths(priceB!.amount) * 2n;
    expect(tenThousandths(placed.total.amount)).toBe(expectedTotal);
    expect(placed.allocations).toEqual([
      { warehouseId: whole!.id, sku: skuA, quantity: 3 },
      { warehouseId: whole!.id, sku: skuB, quantity: 2 },
    ]);
    expect(placed.postings.erp).toMatchObject({ state: 'POSTED', attempts: 1, reference: expect.stringMatching(/\S/) });
    expect(placed.postings.wms.state).toBe('POSTED');
    expect(placed.postings.commerce.state).toBe('POSTED');

    // Each backend holds it exactly once.
    expect(await erpPostings(h.sims.erp, order.id)).toEqual({ requests: 1, salesOrderNos: [placed.postings.erp.reference] });
    const [erpOrder] = await h.erp.erpOrdersByOrderIds([order.id]);
    expect(tenThousandths(erpOrder!.total.amount)).toBe(expectedTotal);
    expect(erpOrder).toMatchObject({ customerId: GOOD_CUSTOMER, channel: 'b2b-portal' });
    const [customerAfter] = await h.erp.customersByIds([GOOD_CUSTOMER]);
    expect(tenThousandths(customerBefore!.creditAvailable.amount) - tenThousandths(customerAfter!.creditAvailable.amount)).toBe(expectedTotal);
    const [fulfillment] = await h.wms.fulfillmentsByOrderIds([order.id]);
    // The WMS keeps whose order it is, for row-level rules in the WMS subgraph.
    expect(fulfillment).toEqual({ orderId: order.id, customerId: GOOD_CUSTOMER, channel: 'b2b-portal', status: 'ALLOCATED', allocations: placed.allocations });
    expect((await wmsStock(h, skuA)).reserved).toBe(reservedBefore + 3);
    const [inPlatform] = await h.commerce.ordersByIds([order.id]);
    expect(inPlatform).toMatchObject({ id: order.id, channel: 'b2b-portal', externalRef: 'PO-4711', status: 'ACCEPTED', customerId: GOOD_CUSTOMER });
    // The reservation was confirmed by the WMS: nothing is left pending.
    expect((await h.capture.reservations.pendingBySku([skuA])).get(skuA)?.get(whole!.id) ?? 0).toBe(0);
  });

  it('is readable at once through order(id) and as an Order entity, served from the order store', async () => {
    const order = await placeAccepted(h, { lines: [{ sku: sellableSku(7), quantity: 1 }] });
    const byId = await h.run<{ order: unknown }>(`query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: order.id });
    expect(byId.data?.order).toEqual({
      id: order.id,
      channel: 'web',
      externalRef: null,
      status: 'ACCEPTED',
      placedAt: order.placedAt,
      customer: { id: GOOD_CUSTOMER },
      lines: [{ id: `${order.id}:1`, lineNumber: 1, sku: sellableSku(7), quantity: 1, product: { sku: sellableSku(7) } }],
    });
    const entities = await h.run<{ _entities: unknown[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } ... on OrderLine { id quantity } } }',
      { r: [{ __typename: 'Order', id: order.id }, { __typename: 'OrderLine', id: `${order.id}:1` }, { __typename: 'Order', id: 'ORD-HNOSUCHORDER' }] },
    );
    expect(entities.data?._entities).toEqual([{ id: order.id, status: 'ACCEPTED' }, { id: `${order.id}:1`, quantity: 1 }, null]);
  });

  it('may be placed by a channel token for its own channel and a portal token for its own customer', async () => {
    const channel = await placeOrder(h, { channel: 'edi', lines: [{ sku: sellableSku(8), quantity: 1 }] }, writer({ channel: 'edi' }));
    expect(channel.payload?.order).toMatchObject({ channel: 'edi', status: 'ACCEPTED' });
    const portal = await placeOrder(h, { lines: [{ sku: sellableSku(8), quantity: 1 }] }, writer({ customerId: GOOD_CUSTOMER }));
    expect(portal.payload?.order).toMatchObject({ customer: { id: GOOD_CUSTOMER }, status: 'ACCEPTED' });
  });

  it('needs the orders:write scope: FORBIDDEN, nothing placed', async () => {
    const sku = sellableSku(9);
    const before = await wmsStock(h, sku);
    const result = await h.run(
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code } } }',
      { input: { idempotencyKey: 'no-scope', channel: 'web', customerId: GOOD_CUSTOMER, lines: [{ sku, quantity: 1 }] } },
      writer({ scopes: ['orders:read'] }),
    );
    expect(result.data).toBeNull();
    expect(errorsOf(result)).toEqual([{ code: 'FORBIDDEN', path: ['placeOrder'] }]);
    expect(await wmsStock(h, sku)).toEqual(before);
  });
});
