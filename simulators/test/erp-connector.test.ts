import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ErpHttpConnector } from '@crossdock/connectors';
import { moneyFromMinorUnits, type Product } from '@crossdock/model';
import { startErpSimulator, type RunningSimulator } from '../src/index';
import { generateWorld } from '../src/world';
import { resetStats, stats } from './support';

const world = generateWorld();
const usd = (cents: number) => moneyFromMinorUnits(cents, 'USD');

describe('ErpHttpConnector against the ERP simulator', () => {
  let sim: RunningSimulator;
  let erp: ErpHttpConnector;

  beforeAll(async () => {
    sim = await startErpSimulator({ port: 0 });
    erp = new ErpHttpConnector({ baseUrl: sim.url });
  });
  afterAll(async () => {
    await erp.close();
    await sim.close();
  });
  beforeEach(() => resetStats(sim.url));

  it('translates a held customer, with credit available = limit − balance', async () => {
    const held = world.customers.find((c) => c.onHold);
    if (!held) throw new Error('the world has no held customer');
    const [customer] = await erp.customersByIds([held.id]);
    expect(customer).toEqual({
      id: held.id,
      name: held.name,
      onHold: true,
      creditLimit: usd(held.creditLimitCents),
      creditAvailable: usd(held.creditLimitCents - held.creditUsedCents),
    });
  });

  it('aligns a batch with its keys, null for unknown ones, in one request', async () => {
    const result = await erp.customersByIds(['CUST-0003', 'CUST-9999', 'CUST-0001', 'CUST-0003', 'A,B']);
    expect(result.map((c) => c?.id ?? null)).toEqual(['CUST-0003', null, 'CUST-0001', 'CUST-0003', null]);
    expect((await stats(sim.url)).requests).toEqual({ 'GET /api/v2/customers': 1 });
  });

  it('translates items, including blocked ones and the ERP units of measure', async () => {
    const blocked = world.products.find((p) => !p.sellable);
    if (!blocked) throw new Error('the world has no blocked item');
    const [product, missing] = await erp.productsBySkus([blocked.sku, 'SKU-99999']);
    expect(product).toEqual({ sku: blocked.sku, name: blocked.name, uom: blocked.uom, listPrice: usd(blocked.listPriceCents), sellable: false });
    expect(missing).toBeNull();
  });

  it('chunks 150 SKUs into two requests of at most 100', async () => {
    const skus = world.products.slice(0, 150).map((p) => p.sku);
    const products = await erp.productsBySkus(skus);
    expect(products.map((p) => p?.sku)).toEqual(skus);
    expect((await stats(sim.url)).total).toBe(2);
  });

  it('pages through the whole item list, one request per page', async () => {
    const seen: Product[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await erp.listProducts({ first: 30, after });
      seen.push(...page.items);
      after = page.nextCursor;
      pages += 1;
    } while (after !== null);
    expect(seen.map((p) => p.sku)).toEqual(world.products.map((p) => p.sku));
    expect(pages).toBe(7);
    expect((await stats(sim.url)).total).toBe(7);
  });

  it('keeps the position when the page size changes between pages', async () => {
    const first = await erp.listProducts({ first: 30 });
    const second = await erp.listProducts({ first: 40, after: first.nextCursor });
    expect(second.items.map((p) => p.sku)).toEqual(world.products.slice(30, 70).map((p) => p.sku));
    expect(second.nextCursor).toBe('70');
  });

  it('translates sales orders: lines numbered from 1, total = sum of lines', async () => {
    const order = world.orders.find((o) => o.lines.length >= 3);
    if (!order) throw new Error('no order with three lines');
    const [erpOrder, unknown] = await erp.erpOrdersByOrderIds([order.id, 'ORD-999999']);
    expect(unknown).toBeNull();
    expect(erpOrder).toEqual({
      orderId: order.id,
      customerId: order.customerId,
      channel: order.channel,
      erpOrderNumber: order.erpOrderNumber,
      total: usd(order.totalCents),
      lines: order.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku, quantity: l.quantity, unitPrice: usd(l.unitPriceCents) })),
    });
  });

  it('lists invoices per order, [] where none was issued', async () => {
    const delivered = world.orders.find((o) => o.status === 'DELIVERED');
    const accepted = world.orders.find((o) => o.status === 'ACCEPTED');
    if (!delivered || !accepted) throw new Error('missing order statuses');
    const invoice = world.invoices.find((i) => i.orderId === delivered.id);
    const result = await erp.invoicesByOrderIds([accepted.id, delivered.id]);
    expect(result).toEqual([
      [],
      [{ id: String(invoice?.entryNo), orderId: delivered.id, number: invoice?.number, issuedAt: new Date(invoice?.issuedAtMs ?? 0).toISOString(), total: usd(delivered.totalCents) }],
    ]);
    expect((await stats(sim.url)).total).toBe(1);
  });
});
