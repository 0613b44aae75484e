import { startSimServer, type RunningSimulator, type SimulatorOptions } from './sim-server';
import { HttpError, Router, centsToDecimal, intParam, listParam, type SimRequest } from './http-kit';
import { WORLD_CURRENCY, generateWorld, groupBy, type World, type WorldCustomer, type WorldInvoice, type WorldOrder, type WorldProduct } from './world';

/**
 * The ERP: an old-school paged REST API in PascalCase, money as `{ Value, CurrencyCode }`, dates
 * as Microsoft JSON dates (`/Date(ms)/`), its own units of measure and 10000-step line numbers.
 */

/** Options of the ERP simulator. */
export type ErpSimulatorOptions = SimulatorOptions;

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 50;
/** The ERP's own unit-of-measure codes. */
const ERP_UOM: Record<WorldProduct['uom'], string> = { EA: 'PCS', CS: 'CASE', BX: 'BOX' };
const LINE_NO_STEP = 10_000;

interface ErpIndex {
  customers: WorldCustomer[];
  customersById: Map<string, WorldCustomer>;
  products: WorldProduct[];
  productsBySku: Map<string, WorldProduct>;
  ordersById: Map<string, WorldOrder>;
  invoicesByOrder: Map<string, WorldInvoice[]>;
}

function indexWorld(world: World): ErpIndex {
  return {
    customers: world.customers,
    customersById: new Map(world.customers.map((c) => [c.id, c])),
    products: [...world.products].sort((a, b) => a.sku.localeCompare(b.sku)),
    productsBySku: new Map(world.products.map((p) => [p.sku, p])),
    ordersById: new Map(world.orders.map((o) => [o.id, o])),
    invoicesByOrder: groupBy(world.invoices, (i) => i.orderId),
  };
}

const erpMoney = (cents: number) => ({ Value: centsToDecimal(cents), CurrencyCode: WORLD_CURRENCY });
const erpDate = (epochMs: number) => `/Date(${epochMs})/`;

function renderCustomer(c: WorldCustomer) {
  return {
    CustomerNo: c.id,
    Name: c.name,
    CreditLimit: erpMoney(c.creditLimitCents),
    Balance: erpMoney(c.creditUsedCents),
    BlockedStatus: c.onHold ? 'Credit' : 'None',
    City: c.place.city,
  };
}

function renderItem(p: WorldProduct) {
  return { ItemNo: p.sku, Description: p.name, UnitOfMeasure: ERP_UOM[p.uom], UnitPrice: erpMoney(p.listPriceCents), Blocked: !p.sellable };
}

function renderSalesOrder(o: WorldOrder) {
  return {
    SalesOrderNo: o.erpOrderNumber,
    ExternalRef: o.id,
    CustomerNo: o.customerId,
    OrderDate: erpDate(o.placedAtMs),
    Status: o.status === 'CANCELLED' ? 'Cancelled' : 'Released',
    Lines: o.lines.map((l) => ({
      LineNo: l.lineNumber * LINE_NO_STEP,
      ItemNo: l.sku,
      Quantity: l.quantity,
      UnitPrice: erpMoney(l.unitPriceCents),
      LineAmount: erpMoney(l.unitPriceCents * l.quantity),
    })),
    TotalAmount: erpMoney(o.totalCents),
  };
}

function renderInvoice(i: WorldInvoice) {
  return { EntryNo: i.entryNo, DocumentNo: i.number, ExternalRef: i.orderId, PostingDate: erpDate(i.issuedAtMs), Amount: erpMoney(i.totalCents) };
}

/** `?ids=` answers a batch; otherwise `?page=&pageSize=` pages through everything. */
function batchOrPage<T>(req: SimRequest, all: readonly T[], byId: Map<string, T>, render: (item: T) => unknown) {
  const ids = listParam(req.query, 'ids', MAX_PAGE_SIZE);
  if (ids) {
    const found = ids.flatMap((id) => {
      const item = byId.get(id);
      return item ? [render(item)] : [];
    });
    return { body: { Items: found, TotalCount: found.length, Page: 1, PageSize: ids.length } };
  }
  const page = intParam(req.query, 'page', 1, 1, 1_000_000);
  const pageSize = intParam(req.query, 'pageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  const start = (page - 1) * pageSize;
  const items = all.slice(start, start + pageSize).map(render);
  return { body: { Items: items, TotalCount: all.length, Page: page, PageSize: pageSize } };
}

function requiredRefs(req: SimRequest): string[] {
  const refs = listParam(req.query, 'externalRefs', MAX_PAGE_SIZE);
  if (!refs) throw new HttpError(400, 'missing_parameter', '"externalRefs" is required');
  return refs;
}

/** "invalid_parameter" → "InvalidParameter", the ERP's error codes. */
function pascal(code: string): string {
  return code.replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

/**
 * Starts the ERP simulator.
 *
 * - `GET /api/v2/customers?ids=A,B` or `?page=&pageSize=`
 * - `GET /api/v2/items?ids=` or `?page=&pageSize=` (ordered by ItemNo)
 * - `GET /api/v2/salesorders?externalRefs=ORD-1,ORD-2`
 * - `GET /api/v2/invoices?externalRefs=ORD-1,ORD-2`
 */
export async function startErpSimulator(options: ErpSimulatorOptions = {}): Promise<RunningSimulator> {
  let index = indexWorld(generateWorld());
  const routes = new Router()
    .on('GET', '/api/v2/customers', (req) => batchOrPage(req, index.customers, index.customersById, renderCustomer))
    .on('GET', '/api/v2/items', (req) => batchOrPage(req, index.products, index.productsBySku, renderItem))
    .on('GET', '/api/v2/salesorders', (req) => {
      const orders = requiredRefs(req).flatMap((ref) => {
        const order = index.ordersById.get(ref);
        return order ? [renderSalesOrder(order)] : [];
      });
      return { body: { Items: orders, TotalCount: orders.length, Page: 1, PageSize: orders.length } };
    })
    .on('GET', '/api/v2/invoices', (req) => {
      const invoices = requiredRefs(req).flatMap((ref) => (index.invoicesByOrder.get(ref) ?? []).map(renderInvoice));
      return { body: { Items: invoices, TotalCount: invoices.length, Page: 1, PageSize: invoices.length } };
    });
  return startSimServer({
    ...options,
    name: 'sim-erp',
    routes,
    formatError: (_status, code, message) => ({ Error: { Code: pascal(code), Message: message } }),
    reset: () => {
      index = indexWorld(generateWorld());
    },
  });
}
