import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ErpHttpConnector, type NewSalesOrder } from '@crossdock/connectors';
import { moneyFromMinorUnits } from '@crossdock/model';
import { startErpSimulator, type RunningSimulator } from '../src/index';
import { generateWorld } from '../src/world';
import { backendFailure, getJson, postJson, resetStats, stats } from './support';

const world = generateWorld();
const usd = (cents: number) => moneyFromMinorUnits(cents, 'USD');
const customer = world.customers.find((c) => !c.onHold && c.discountPercent > 0);
const held = world.customers.find((c) => c.onHold);
const blocked = world.products.find((p) => !p.sellable);
const [itemA, itemB] = world.products.filter((p) => p.sellable);
if (!customer || !held || !blocked || !itemA || !itemB) throw new Error('the world lacks a discounted customer, a held one, a blocked item or two sellable ones');
const priceOf = (listCents: number) => Math.round((listCents * (100 - customer.discountPercent)) / 100);

function salesOrder(orderId: string, overrides: Partial<NewSalesOrder> = {}): NewSalesOrder {
  return {
    orderId,
    customerId: customer?.id ?? '',
    channel: 'b2b-portal',
    externalRef: 'PO-123',
    placedAt: '2026-11-26T10:04:05.123Z',
    lines: [
      { lineNumber: 1, sku: itemA?.sku ?? '', quantity: 3, unitPrice: usd(priceOf(itemA?.listPriceCents ?? 0)) },
      { lineNumber: 2, sku: itemB?.sku ?? '', quantity: 1, unitPrice: usd(priceOf(itemB?.listPriceCents ?? 0)) },
    ],
    ...overrides,
  };
}

describe('ERP price list and sales order entry', () => {
  let sim: RunningSimulator;
  let erp: ErpHttpConnector;
  const postings = async (ref: string) => (await getJson(`${sim.url}/_admin/salesorders?externalRef=${ref}`)).body;
  const creditAvailable = async (id: string) => (await erp.customersByIds([id]))[0]?.creditAvailable;

  beforeAll(async () => {
    sim = await startErpSimulator();
    erp = new ErpHttpConnector({ baseUrl: sim.url });
  });
  afterAll(async () => {
    await erp.close();
    await sim.close();
  });
  beforeEach(async () => {
    await postJson(`${sim.url}/_admin/reset`);
    await resetStats(sim.url);
  });

  it('prices items for the customer as the seeded orders were priced, in one call', async () => {
    const prices = await erp.pricesFor(customer.id, [itemA.sku, blocked.sku, 'SKU-NOPE', itemA.sku]);
    expect(prices).toEqual([usd(priceOf(itemA.listPriceCents)), usd(priceOf(blocked.listPriceCents)), null, usd(priceOf(itemA.listPriceCents))]);
    expect((await stats(sim.url)).requests).toEqual({ 'GET /api/v2/prices': 1 });
    const seeded = world.orders.find((o) => o.customerId === customer.id && o.channel !== 'marketplace');
    const line = seeded?.lines[0];
    if (!line) throw new Error('the customer has no seeded order');
    expect(await erp.pricesFor(customer.id, [line.sku])).toEqual([usd(line.unitPriceCents)]);
  });

  it('refuses prices for an unknown customer with its code', async () => {
    const error = await backendFailure(erp.pricesFor('CUST-9999', [itemA.sku]));
    expect(error).toMatchObject({ backend: 'erp', kind: 'client-error', status: 404, code: 'CustomerNotFound' });
    expect(error.message).toContain('Customer CUST-9999 does not exist.');
  });

  it('creates a sales order once: a repeat returns the same number, the balance is charged once', async () => {
    expect(await creditAvailable(customer.id)).toEqual(usd(customer.creditLimitCents - customer.creditUsedCents));
    const first = await erp.createSalesOrder(salesOrder('HUB-1'));
    expect(first).toEqual({ erpOrderNumber: 'SO-100501', created: true });
    const repeat = await erp.createSalesOrder(salesOrder('HUB-1', { lines: [{ lineNumber: 1, sku: itemB.sku, quantity: 99, unitPrice: usd(1) }] }));
    expect(repeat).toEqual({ erpOrderNumber: 'SO-100501', created: false });
    expect(await postings('HUB-1')).toEqual({ postings: [{ externalRef: 'HUB-1', requests: 2, salesOrderNos: ['SO-100501'] }] });

    const total = 3 * priceOf(itemA.listPriceCents) + priceOf(itemB.listPriceCents);
    const [order] = await erp.erpOrdersByOrderIds(['HUB-1']);
    expect(order).toEqual({
      orderId: 'HUB-1',
      customerId: customer.id,
      channel: 'b2b-portal',
      erpOrderNumber: 'SO-100501',
      total: usd(total),
      lines: salesOrder('HUB-1').lines,
    });
    const raw = await getJson(`${sim.url}/api/v2/salesorders?externalRefs=HUB-1`);
    expect(raw.body).toMatchObject({ Items: [{ ExternalDocumentNo: 'PO-123', OrderDate: `/Date(${Date.parse('2026-11-26T10:04:05.123Z')})/`, Status: 'Released' }] });
    expect(await creditAvailable(customer.id)).toEqual(usd(customer.creditLimitCents - customer.creditUsedCents - total));
    expect((await erp.createSalesOrder(salesOrder('HUB-2'))).erpOrderNumber).toBe('SO-100502');
  });

  it.each([
    ['an unknown customer', { customerId: 'CUST-9999' }, 'CustomerNotFound', 'Customer CUST-9999 does not exist.'],
    ['a held customer', { customerId: held.id }, 'CustomerBlocked', `Customer ${held.id} is blocked`],
    ['an unknown item', { lines: [{ lineNumber: 1, sku: 'SKU-NOPE', quantity: 1, unitPrice: usd(100) }] }, 'ItemNotFound', 'Line 10000: item SKU-NOPE does not exist.'],
    ['a blocked item', { lines: [{ lineNumber: 2, sku: blocked.sku, quantity: 1, unitPrice: usd(100) }] }, 'ItemBlocked', `Line 20000: item ${blocked.sku} is blocked`],
    ['another currency', { lines: [{ lineNumber: 1, sku: itemA.sku, quantity: 1, unitPrice: { amount: '1.00', currency: 'EUR' } }] }, 'CurrencyMismatch', 'currency EUR'],
  ])('refuses %s with 422 and its code, entering nothing', async (_case, overrides, code, text) => {
    const error = await backendFailure(erp.createSalesOrder(salesOrder('HUB-BAD', overrides)));
    expect(error).toMatchObject({ backend: 'erp', kind: 'client-error', status: 422, code });
    expect(error.message).toContain(code);
    expect(error.message).toContain(text);
    expect(await postings('HUB-BAD')).toEqual({ postings: [{ externalRef: 'HUB-BAD', requests: 1, salesOrderNos: [] }] });
    expect(await erp.erpOrdersByOrderIds(['HUB-BAD'])).toEqual([null]);
  });

  it('answers malformed sales orders with 400 InvalidRequest', async () => {
    const url = `${sim.url}/api/v2/salesorders`;
    const line = { ItemNo: itemA.sku, Quantity: 1, UnitPrice: { Value: '1.00', CurrencyCode: 'USD' } };
    const valid = { ExternalRef: 'HUB-X', CustomerNo: customer.id, OrderDate: '/Date(0)/', Lines: [line] };
    for (const bad of [
      'not json',
      [],
      { ...valid, ExternalRef: '' },
      { ...valid, OrderDate: '2026-11-26' },
      { ...valid, Lines: [] },
      { ...valid, Lines: [{ ...line, Quantity: 0 }] },
      { ...valid, Lines: [{ ...line, UnitPrice: { Value: 1, CurrencyCode: 'USD' } }] },
      { ...valid, Lines: [{ ...line, UnitPrice: { Value: '1.001', CurrencyCode: 'USD' } }] },
      { ...valid, Lines: [{ ...line, LineNo: 10000 }, { ...line, LineNo: 10000 }] },
    ]) {
      const answer = await postJson(url, bad);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ Error: { Code: expect.stringMatching(/^Invalid/) } });
    }
    expect((await postJson(url, valid)).status).toBe(201);
    expect((await postJson(url, valid)).status).toBe(200);
  });

  it('cancels idempotently, gives the credit back, and is a no-op for an order it never had', async () => {
    const before = await creditAvailable(customer.id);
    await erp.createSalesOrder(salesOrder('HUB-C'));
    await erp.cancelSalesOrder('HUB-C', 'customer changed their mind');
    await erp.cancelSalesOrder('HUB-C', null);
    expect(await creditAvailable(customer.id)).toEqual(before);
    const raw = await getJson(`${sim.url}/api/v2/salesorders?externalRefs=HUB-C`);
    expect(raw.body).toMatchObject({ Items: [{ Status: 'Cancelled', CancelReason: 'customer changed their mind' }] });
    const bySoNumber = await postJson(`${sim.url}/api/v2/salesorders/SO-100501/cancel`);
    expect(bySoNumber).toMatchObject({ status: 200, body: { ExternalRef: 'HUB-C', Status: 'Cancelled' } });
    await expect(erp.cancelSalesOrder('HUB-NEVER', null)).resolves.toBeUndefined();
  });

  it('refuses to cancel an invoiced order', async () => {
    const invoiced = world.invoices[0]?.orderId ?? '';
    const error = await backendFailure(erp.cancelSalesOrder(invoiced, null));
    expect(error).toMatchObject({ kind: 'client-error', status: 422, code: 'AlreadyInvoiced' });
  });

  it('restores orders, balances and posting counts on reset', async () => {
    const before = await creditAvailable(customer.id);
    await erp.createSalesOrder(salesOrder('HUB-R'));
    await postJson(`${sim.url}/_admin/reset`);
    expect(await erp.erpOrdersByOrderIds(['HUB-R'])).toEqual([null]);
    expect(await creditAvailable(customer.id)).toEqual(before);
    expect(await postings('HUB-R')).toEqual({ postings: [{ externalRef: 'HUB-R', requests: 0, salesOrderNos: [] }] });
    expect((await erp.createSalesOrder(salesOrder('HUB-R'))).erpOrderNumber).toBe('SO-100501');
  });
});
