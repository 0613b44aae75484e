import { CursorError, subtractMoney, type Customer, type ErpOrder, type ErpOrderLine, type Invoice, type Money, type Page, type PageRequest, type Product } from '@crossdock/model';
import { groupInto, listableKeys, lookupAligned } from './batch';
import { JsonHttpClient, type ConnectorOptions, type JsonTransport } from './http-client';
import type { ErpConnector } from './ports';
import { ResponseReader, type JsonObject } from './response-reader';

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

function parseOffset(cursor: string): number {
  if (!/^\d+$/.test(cursor)) throw new CursorError(`not an ERP item cursor: "${cursor}"`);
  return Number(cursor);
}
