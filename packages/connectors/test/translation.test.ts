import { afterEach, describe, expect, it } from '@jest/globals';
import { CommerceHttpConnector, ErpHttpConnector, ShippingHttpConnector, WmsHttpConnector } from '../src/index';
import { reply, startCannedBackend } from './canned-backend';
import { failureOf } from './failure-of';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function backendAnswering(body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const backend = await startCannedBackend(reply(200, JSON.stringify(body), headers));
  cleanup.push(() => backend.close());
  return backend.url;
}

describe('translation refuses what it does not know', () => {
  it('names an unknown WMS state instead of guessing', async () => {
    const wms = new WmsHttpConnector({ baseUrl: await backendAnswering({ fulfillments: [{ order_ref: 'ORD-1', state: 'LOST', lines: [], updated_ts: 0 }] }) });
    cleanup.push(() => wms.close());
    const error = await failureOf(wms.fulfillmentsByOrderIds(['ORD-1']));
    expect(error).toMatchObject({ backend: 'wms', kind: 'bad-response' });
    expect(String(error)).toContain('"LOST"');
  });

  it('names an unknown carrier status code', async () => {
    const shipment = { shipmentId: 'S1', orderReference: 'O1', carrier: { name: 'UPS' }, trackingNumber: '1Z', statusCode: 'ZZ', scans: [], estimatedDeliveryAt: null };
    const shipping = new ShippingHttpConnector({ baseUrl: await backendAnswering({ results: [shipment] }) });
    cleanup.push(() => shipping.close());
    expect(String(await failureOf(shipping.shipmentsByIds(['S1'])))).toContain('"ZZ"');
  });

  it('refuses an ERP unit of measure and a malformed amount', async () => {
    const item = { ItemNo: 'SKU-1', Description: 'x', UnitOfMeasure: 'PALLET', UnitPrice: { Value: '1.00', CurrencyCode: 'USD' }, Blocked: false };
    const erp = new ErpHttpConnector({ baseUrl: await backendAnswering({ Items: [item] }) });
    cleanup.push(() => erp.close());
    expect(String(await failureOf(erp.productsBySkus(['SKU-1'])))).toContain('"PALLET"');
    const pricey = new ErpHttpConnector({ baseUrl: await backendAnswering({ Items: [{ ...item, UnitOfMeasure: 'PCS', UnitPrice: { Value: 12.5, CurrencyCode: 'USD' } }] }) });
    cleanup.push(() => pricey.close());
    expect(await failureOf(pricey.productsBySkus(['SKU-1']))).toMatchObject({ kind: 'bad-response' });
  });

  it('refuses an unknown commerce status and reads the next cursor from the Link header', async () => {
    const order = { name: 'ORD-1', source_name: 'web', source_identifier: null, status: 'open', created_at: '2026-10-01T10:00:00-05:00', customer: { id: 'C1' }, line_items: [] };
    const link = '<https://shop.example/admin/api/2026-01/orders.json?limit=1&page_info=abc>; rel="next", <https://x/?page_info=zzz>; rel="previous"';
    const commerce = new CommerceHttpConnector({ baseUrl: await backendAnswering({ orders: [order] }, { link }) });
    cleanup.push(() => commerce.close());
    const page = await commerce.listOrders({}, { first: 1 });
    expect(page).toEqual({ items: [{ id: 'ORD-1', channel: 'web', externalRef: null, status: 'ACCEPTED', placedAt: '2026-10-01T15:00:00.000Z', customerId: 'C1', lines: [] }], nextCursor: 'abc' });
    const odd = new CommerceHttpConnector({ baseUrl: await backendAnswering({ orders: [{ ...order, status: 'archived' }] }) });
    cleanup.push(() => odd.close());
    expect(String(await failureOf(odd.ordersByIds(['ORD-1'])))).toContain('"archived"');
  });
});
