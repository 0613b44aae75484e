import { afterEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CommerceHttpConnector, ErpHttpConnector, WmsHttpConnector } from '../src/index';
import { startCannedBackend } from './canned-backend';
import { failureOf } from './failure-of';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

interface Seen {
  method: string;
  url: string;
  body: unknown;
}

/** A backend that records each request and answers with `status` and `body`. */
async function backend(status: number, body: unknown): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: text === '' ? undefined : JSON.parse(text) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  };
  const server = await startCannedBackend(answer);
  cleanup.push(() => server.close());
  return { url: server.url, seen };
}

function track<T extends { close(): Promise<void> }>(connector: T): T {
  cleanup.push(() => connector.close());
  return connector;
}

const salesOrderAnswer = { SalesOrderNo: 'SO-7', ExternalRef: 'ORD-1', CustomerNo: 'C1', SalesChannelCode: 'edi', TotalAmount: { Value: '25.00', CurrencyCode: 'USD' }, Lines: [] };
const newSalesOrder = {
  orderId: 'ORD-1',
  customerId: 'C1',
  channel: 'edi',
  externalRef: 'PO-9',
  placedAt: '2026-11-26T05:04:05.123-05:00',
  lines: [{ lineNumber: 2, sku: 'SKU-1', quantity: 2, unitPrice: { amount: '12.5', currency: 'USD' } }],
};

describe('write calls speak each backend vocabulary', () => {
  it('posts an ERP sales order with /Date(ms)/, 10000-step lines and normalised money; 201 means created', async () => {
    const erp201 = await backend(201, salesOrderAnswer);
    const erp = track(new ErpHttpConnector({ baseUrl: erp201.url }));
    expect(await erp.createSalesOrder(newSalesOrder)).toEqual({ erpOrderNumber: 'SO-7', created: true });
    expect(erp201.seen).toEqual([
      {
        method: 'POST',
        url: '/api/v2/salesorders',
        body: {
          ExternalRef: 'ORD-1',
          CustomerNo: 'C1',
          SalesChannelCode: 'edi',
          ExternalDocumentNo: 'PO-9',
          OrderDate: `/Date(${Date.parse('2026-11-26T10:04:05.123Z')})/`,
          Lines: [{ LineNo: 20000, ItemNo: 'SKU-1', Quantity: 2, UnitPrice: { Value: '12.50', CurrencyCode: 'USD' } }],
        },
      },
    ]);
    const erp200 = track(new ErpHttpConnector({ baseUrl: (await backend(200, salesOrderAnswer)).url }));
    expect(await erp200.createSalesOrder(newSalesOrder)).toEqual({ erpOrderNumber: 'SO-7', created: false });
    const confused = track(new ErpHttpConnector({ baseUrl: (await backend(201, { ...salesOrderAnswer, ExternalRef: 'ORD-2' })).url }));
    expect(await failureOf(confused.createSalesOrder(newSalesOrder))).toMatchObject({ kind: 'bad-response' });
  });

  it('asks no backend for prices of nothing', async () => {
    const quiet = await backend(500, {});
    const erp = track(new ErpHttpConnector({ baseUrl: quiet.url }));
    expect(await erp.pricesFor('C1', [])).toEqual([]);
    expect(quiet.seen).toEqual([]);
  });

  it('reads what a WMS cancel released, with the order ref escaped in the path', async () => {
    const released = await backend(200, { allocation: {}, released: [{ item_code: 'SKU-1', warehouse_code: 'WH-1', qty_released: 3 }] });
    const wms = track(new WmsHttpConnector({ baseUrl: released.url }));
    expect(await wms.cancelAllocation('ORD 1/2')).toEqual([{ sku: 'SKU-1', warehouseId: 'WH-1', quantity: 3 }]);
    expect(released.seen[0]?.url).toBe('/wms/v1/allocations/ORD%201%2F2/cancel');
  });
});

describe('business refusals keep the backend code and words', () => {
  it.each([
    ['erp', 422, { Error: { Code: 'CustomerBlocked', Message: 'Customer C1 is blocked (Credit).' } }, 'CustomerBlocked', 'sales order for ORD-1 refused (HTTP 422 CustomerBlocked): Customer C1 is blocked (Credit).'],
    ['wms', 409, { error: 'insufficient_stock', error_description: 'SKU-1 at WH-1: 0 available, 2 requested' }, 'insufficient_stock', 'allocation of ORD-1 refused (HTTP 409 insufficient_stock): SKU-1 at WH-1: 0 available, 2 requested'],
    ['commerce', 422, { errors: { customer: ['C1 does not exist'], currency: ['must be USD'] } }, 'customer', 'order ORD-1 refused (HTTP 422 customer): customer C1 does not exist; currency must be USD'],
    ['commerce', 403, { errors: 'Forbidden' }, undefined, 'order ORD-1 refused (HTTP 403): Forbidden'],
  ])('%s answering %i', async (name, status, body, code, message) => {
    const { url } = await backend(status, body);
    const order = { id: 'ORD-1', channel: 'web', externalRef: null, status: 'ACCEPTED' as const, placedAt: '2026-11-26T10:00:00Z', customerId: 'C1', lines: [] };
    const call =
      name === 'erp'
        ? track(new ErpHttpConnector({ baseUrl: url })).createSalesOrder(newSalesOrder)
        : name === 'wms'
          ? track(new WmsHttpConnector({ baseUrl: url })).allocate('ORD-1', [{ sku: 'SKU-1', warehouseId: 'WH-1', quantity: 2 }])
          : track(new CommerceHttpConnector({ baseUrl: url })).createOrder(order);
    const error = await failureOf(call);
    expect(error).toMatchObject({ backend: name, kind: 'client-error', status, code });
    expect(String(error)).toContain(`${name} backend: ${message}`);
  });

  it('still reports a refusal whose body is not JSON as a client-error', async () => {
    const { url } = await backend(409, '<html>conflict</html>');
    const wms = track(new WmsHttpConnector({ baseUrl: url }));
    const error = await failureOf(wms.allocate('ORD-1', [{ sku: 'SKU-1', warehouseId: 'WH-1', quantity: 1 }]));
    expect(error).toMatchObject({ backend: 'wms', kind: 'client-error', status: 409 });
    expect(String(error)).toContain('<html>conflict</html>');
  });

  it('treats an ERP cancel of an unknown order as done, but not an unknown route', async () => {
    const missing = await backend(404, { Error: { Code: 'SalesOrderNotFound', Message: 'Sales order ORD-1 does not exist.' } });
    await expect(track(new ErpHttpConnector({ baseUrl: missing.url })).cancelSalesOrder('ORD-1', 'dup')).resolves.toBeUndefined();
    expect(missing.seen[0]?.body).toEqual({ Reason: 'dup' });
    const wrong = await backend(404, { Error: { Code: 'NotFound', Message: 'no route' } });
    expect(await failureOf(track(new ErpHttpConnector({ baseUrl: wrong.url })).cancelSalesOrder('ORD-1', null))).toMatchObject({ kind: 'client-error', code: 'NotFound' });
  });
});
