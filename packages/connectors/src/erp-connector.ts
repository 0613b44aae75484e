import { CursorError, money, subtractMoney, toIsoUtc, type Customer, type ErpOrder, type ErpOrderLine, type Invoice, type Money, type Page, type PageRequest, type Product } from '@crossdock/model';
import { groupInto, listableKeys, lookupAligned } from './batch';
import { JsonHttpClient, type ConnectorOptions, type JsonResponse, type JsonTransport } from './http-client';
import type { ErpConnector, NewSalesOrder } from './ports';
import { REFUSAL_STATUSES, ResponseReader, isObject, type JsonObject } from './response-reader';

/** The ERP refuses pages larger than this. */
const ERP_MAX_PAGE_SIZE = 100;
/** The ERP numbers lines 10000, 20000, … so lines can be inserted between them. */
const LINE_NO_STEP = 10_000;
/** The ERP's unit-of-measure codes, in the hub's terms. */
const UOM: Record<string, string> = { PCS: 'EA', CASE: 'CS', BOX: 'BX' };
/** Any block stops new orders; only "None" leaves the account open. */
const BLOCKED: Record<string, boolean> = { None: false, Credit: true, All: true };
const MS_JSON_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/** Reads the ERP's PascalCase documents into the canonical model. */
class ErpReader extends ResponseReader {
  /** `{ "Value": "123.45", "CurrencyCode": "USD" }` */
  money(parent: JsonObject, key: string, what: string): Money {
    const field = `${what}.${key}`;
    const value = this.object(parent[key], field);
    return this.moneyOf(this.string(value, 'Value', field), this.string(value, 'CurrencyCode', field), field);
  }

  /** "/Date(1788309127000)/": milliseconds since the epoch, UTC whatever the suffix says. */
  msDate(parent: JsonObject, key: string, what: string): string {
    const raw = this.string(parent, key, what);
    const match = MS_JSON_DATE.exec(raw);
    return match ? this.time(Number(match[1]), `${what}.${key}`) : this.fail(`${what}.${key} is not a /Date(ms)/ value: "${raw}"`);
  }

  /** A 4xx answer, `{ "Error": { "Code", "Message" } }`, as a client-error keeping both. */
  refusal(what: string, response: JsonResponse): never {
    const error = isObject(response.body) && isObject(response.body.Error) ? response.body.Error : {};
    const code = typeof error.Code === 'string' ? error.Code : undefined;
    const message = typeof error.Message === 'string' ? error.Message : JSON.stringify(response.body);
    return this.refused(what, response.status, code, message);
  }

  errorCode(body: unknown): string | undefined {
    return isObject(body) && isObject(body.Error) && typeof body.Error.Code === 'string' ? body.Error.Code : undefined;
  }

  items(body: unknown, what: string): JsonObject[] {
    return this.objects(this.object(body, what), 'Items', what);
  }

  customer(c: JsonObject): Customer {
    const creditLimit = this.money(c, 'CreditLimit', 'customer');
    const balance = this.money(c, 'Balance', 'customer');
    if (balance.currency !== creditLimit.currency) this.fail(`customer Balance is in ${balance.currency}, CreditLimit in ${creditLimit.currency}`);
    return {
      id: this.string(c, 'CustomerNo', 'customer'),
      name: this.string(c, 'Name', 'customer'),
      onHold: this.mapped(BLOCKED, this.string(c, 'BlockedStatus', 'customer'), 'customer BlockedStatus'),
      creditLimit,
      creditAvailable: subtractMoney(creditLimit, balance),
    };
  }

  product(p: JsonObject): Product {
    return {
      sku: this.string(p, 'ItemNo', 'item'),
      name: this.string(p, 'Description', 'item'),
      uom: this.mapped(UOM, this.string(p, 'UnitOfMeasure', 'item'), 'item UnitOfMeasure'),
      listPrice: this.money(p, 'UnitPrice', 'item'),
      sellable: !this.boolean(p, 'Blocked', 'item'),
    };
  }

  salesOrder(o: JsonObject): ErpOrder {
    return {
      orderId: this.string(o, 'ExternalRef', 'sales order'),
      customerId: this.string(o, 'CustomerNo', 'sales order'),
      channel: this.nullableString(o, 'SalesChannelCode', 'sales order'),
      erpOrderNumber: this.string(o, 'SalesOrderNo', 'sales order'),
      total: this.money(o, 'TotalAmount', 'sales order'),
      lines: this.objects(o, 'Lines', 'sales order').map((l) => this.line(l)),
    };
  }

  line(l: JsonObject): ErpOrderLine {
    const lineNo = this.integer(l, 'LineNo', 'sales order line');
    if (lineNo <= 0 || lineNo % LINE_NO_STEP !== 0) this.fail(`sales order line LineNo ${lineNo} is not a multiple of ${LINE_NO_STEP}`);
    return {
      lineNumber: lineNo / LINE_NO_STEP,
      sku: this.string(l, 'ItemNo', 'sales order line'),
      quantity: this.integer(l, 'Quantity', 'sales order line'),
      unitPrice: this.money(l, 'UnitPrice', 'sales order line'),
    };
  }

  invoice(i: JsonObject): Invoice {
    return {
      id: String(this.integer(i, 'EntryNo', 'invoice')),
      orderId: this.string(i, 'ExternalRef', 'invoice'),
      number: this.string(i, 'DocumentNo', 'invoice'),
      issuedAt: this.msDate(i, 'PostingDate', 'invoice'),
      total: this.money(i, 'Amount', 'invoice'),
    };
  }
}

/**
 * The ERP (customers, items, sales orders, invoices) over its paged REST API. Batch lookups use
 * `?ids=` / `?externalRefs=`; product listing maps the hub's cursor to an item offset.
 */
export class ErpHttpConnector implements ErpConnector {
  private readonly http: JsonTransport;
  private readonly read = new ErpReader('erp');

  constructor(options: ConnectorOptions) {
    this.http = options.transport ?? new JsonHttpClient({ ...options, backend: 'erp' });
  }

  customersByIds(ids: readonly string[]): Promise<(Customer | null)[]> {
    return lookupAligned(ids, (chunk) => this.fetchByIds('/api/v2/customers', 'ids', chunk, (c) => this.read.customer(c), (c) => c.id), () => null);
  }

  productsBySkus(skus: readonly string[]): Promise<(Product | null)[]> {
    return lookupAligned(skus, (chunk) => this.fetchByIds('/api/v2/items', 'ids', chunk, (p) => this.read.product(p), (p) => p.sku), () => null);
  }

  erpOrdersByOrderIds(orderIds: readonly string[]): Promise<(ErpOrder | null)[]> {
    return lookupAligned(
      orderIds,
      (chunk) => this.fetchByIds('/api/v2/salesorders', 'externalRefs', chunk, (o) => this.read.salesOrder(o), (o) => o.orderId),
      () => null,
    );
  }

  invoicesByOrderIds(orderIds: readonly string[]): Promise<Invoice[][]> {
    return lookupAligned(
      orderIds,
      async (chunk) => {
        const keys = listableKeys(chunk);
        if (keys.length === 0) return new Map();
        const response = await this.http.request({ method: 'GET', path: '/api/v2/invoices', query: { externalRefs: keys.join(',') } });
        return groupInto(this.read.items(response.body, 'invoices').map((i) => this.read.invoice(i)), (i) => i.orderId);
      },
      () => [],
    );
  }

  /**
   * The customer's price list (`GET /api/v2/prices`), one call per 100 SKUs. Unknown items come
   * back null; blocked items keep their price (the ERP refuses them when an order is entered).
   * An unknown customer is a client-error "CustomerNotFound".
   */
  pricesFor(customerId: string, skus: readonly string[]): Promise<(Money | null)[]> {
    return lookupAligned(
      skus,
      async (chunk) => {
        const keys = listableKeys(chunk);
        if (keys.length === 0) return new Map<string, Money>();
        const query = { customerNo: customerId, itemNos: keys.join(',') };
        const response = await this.http.request({ method: 'GET', path: '/api/v2/prices', query, acceptStatus: REFUSAL_STATUSES });
        if (response.status >= 400) this.read.refusal(`prices for customer ${customerId}`, response);
        return new Map(this.read.items(response.body, 'prices').map((p) => [this.read.string(p, 'ItemNo', 'price'), this.read.money(p, 'UnitPrice', 'price')]));
      },
      () => null,
    );
  }

  /**
   * Posts the sales order; the ERP is idempotent on ExternalRef (201 created, 200 already there),
   * which is what lets the hub's outbox retry a posting whose answer it never saw.
   */
  async createSalesOrder(order: NewSalesOrder): Promise<{ erpOrderNumber: string; created: boolean }> {
    const response = await this.http.request({ method: 'POST', path: '/api/v2/salesorders', body: salesOrderDocument(order), acceptStatus: REFUSAL_STATUSES });
    if (response.status >= 400) this.read.refusal(`sales order for ${order.orderId}`, response);
    const posted = this.read.salesOrder(this.read.object(response.body, 'sales order'));
    if (posted.orderId !== order.orderId) this.read.fail(`sales order ${posted.erpOrderNumber} carries ExternalRef "${posted.orderId}", not "${order.orderId}"`);
    return { erpOrderNumber: posted.erpOrderNumber, created: response.status === 201 };
  }

  /** Cancels by the hub order id (the ERP resolves it through ExternalRef). */
  async cancelSalesOrder(orderId: string, reason: string | null): Promise<void> {
    const path = `/api/v2/salesorders/${encodeURIComponent(orderId)}/cancel`;
    const response = await this.http.request({ method: 'POST', path, body: { Reason: reason }, acceptStatus: REFUSAL_STATUSES });
    // No sales order yet (the posting may still be queued): nothing to cancel.
    if (response.status === 404 && this.read.errorCode(response.body) === 'SalesOrderNotFound') return;
    if (response.status >= 400) this.read.refusal(`cancelling the sales order of ${orderId}`, response);
  }

  /**
   * Items in ItemNo order. The cursor is the offset of the next item, so a client may change
   * `first` between pages; an offset that does not fall on a page boundary costs a second call.
   */
  async listProducts(page: PageRequest): Promise<Page<Product>> {
    if (!Number.isInteger(page.first) || page.first < 1) throw new CursorError(`"first" must be a positive integer, got ${page.first}`);
    const offset = page.after ? parseOffset(page.after) : 0;
    const size = Math.min(page.first, ERP_MAX_PAGE_SIZE);
    const firstPage = Math.floor(offset / size) + 1;
    const pages = offset % size === 0 ? [firstPage] : [firstPage, firstPage + 1];
    const answers = await Promise.all(pages.map((n) => this.http.request({ method: 'GET', path: '/api/v2/items', query: { page: n, pageSize: size } })));
    let total = 0;
    const rows: JsonObject[] = [];
    for (const answer of answers) {
      const body = this.read.object(answer.body, 'items');
      total = this.read.integer(body, 'TotalCount', 'items');
      rows.push(...this.read.items(body, 'items'));
    }
    const skip = offset - (firstPage - 1) * size;
    const items = rows.slice(skip, skip + size).map((p) => this.read.product(p));
    const end = offset + items.length;
    return { items, nextCursor: items.length > 0 && end < total ? String(end) : null };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async fetchByIds<T>(path: string, param: string, chunk: string[], translate: (row: JsonObject) => T, keyOf: (item: T) => string): Promise<Map<string, T>> {
    const keys = listableKeys(chunk);
    if (keys.length === 0) return new Map();
    const response = await this.http.request({ method: 'GET', path, query: { [param]: keys.join(',') } });
    return new Map(this.read.items(response.body, path).map((row) => {
      const item = translate(row);
      return [keyOf(item), item];
    }));
  }
}

/** The ERP's sales order document: PascalCase, `/Date(ms)/`, money objects, 10000-step line numbers. */
function salesOrderDocument(order: NewSalesOrder): JsonObject {
  return {
    ExternalRef: order.orderId,
    CustomerNo: order.customerId,
    SalesChannelCode: order.channel ?? null,
    ExternalDocumentNo: order.externalRef,
    OrderDate: `/Date(${new Date(toIsoUtc(order.placedAt)).getTime()})/`,
    Lines: order.lines.map((line) => {
      const price = money(line.unitPrice.amount, line.unitPrice.currency);
      return { LineNo: line.lineNumber * LINE_NO_STEP, ItemNo: line.sku, Quantity: line.quantity, UnitPrice: { Value: price.amount, CurrencyCode: price.currency } };
    }),
  };
}

function parseOffset(cursor: string): number {
  if (!/^\d+$/.test(cursor)) throw new CursorError(`not an ERP item cursor: "${cursor}"`);
  return Number(cursor);
}
