import { startSimServer, type RunningSimulator, type SimulatorOptions } from './sim-server';
import { HttpError, Router, intParam, listParam, type SimRequest } from './http-kit';
import { ErpLedger } from './erp-ledger';
import {
  parseCancelReason,
  parseSalesOrderEntry,
  pascal,
  renderCustomer,
  renderInvoice,
  renderItem,
  renderPrice,
  renderSalesOrder,
} from './erp-documents';
import { WORLD_CURRENCY } from './world';

/**
 * The ERP: an old-school paged REST API in PascalCase (see erp-documents.ts for its formats),
 * errors as `{ "Error": { "Code", "Message" } }`.
 */

/** Options of the ERP simulator. */
export type ErpSimulatorOptions = SimulatorOptions;

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 50;

/** `?ids=` answers a batch; otherwise `?page=&pageSize=` pages through everything. */
function batchOrPage<T>(req: SimRequest, all: readonly T[], byId: (id: string) => T | undefined, render: (item: T) => unknown) {
  const ids = listParam(req.query, 'ids', MAX_PAGE_SIZE);
  if (ids) {
    const found = ids.flatMap((id) => {
      const item = byId(id);
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

function requiredList(req: SimRequest, name: string): string[] {
  const values = listParam(req.query, name, MAX_PAGE_SIZE);
  if (!values) throw new HttpError(400, 'missing_parameter', `"${name}" is required`);
  return values;
}

const itemList = (items: unknown[]) => ({ Items: items, TotalCount: items.length, Page: 1, PageSize: items.length });

/**
 * The customer's price list. Unknown items are absent; blocked items are still priced (with
 * `Blocked: true`): the price list is master data, the block is enforced at order entry.
 */
function priceList(req: SimRequest, ledger: ErpLedger) {
  const customerNo = req.query.get('customerNo');
  if (customerNo === null || customerNo === '') throw new HttpError(400, 'missing_parameter', '"customerNo" is required');
  const customer = ledger.customer(customerNo);
  if (!customer) throw new HttpError(404, 'customer_not_found', `Customer ${customerNo} does not exist.`);
  const prices = requiredList(req, 'itemNos').flatMap((itemNo) => {
    const item = ledger.item(itemNo);
    return item ? [renderPrice(item, customer, ledger.unitPriceCents(customer, item))] : [];
  });
  return { body: { CustomerNo: customer.id, CurrencyCode: WORLD_CURRENCY, ...itemList(prices) } };
}

/** Builds the ERP's routes over its ledger. */
function erpRoutes(ledger: ErpLedger): Router {
  return new Router()
    .on('GET', '/api/v2/customers', (req) => batchOrPage(req, ledger.customers, (id) => ledger.customer(id), renderCustomer))
    .on('GET', '/api/v2/items', (req) => batchOrPage(req, ledger.items, (id) => ledger.item(id), renderItem))
    .on('GET', '/api/v2/prices', (req) => priceList(req, ledger))
    .on('GET', '/api/v2/salesorders', (req) => {
      const orders = requiredList(req, 'externalRefs').flatMap((ref) => {
        const order = ledger.salesOrder(ref);
        return order ? [renderSalesOrder(order)] : [];
      });
      return { body: itemList(orders) };
    })
    .on('POST', '/api/v2/salesorders', (req) => {
      const { order, created } = ledger.enter(parseSalesOrderEntry(req.body));
      return { status: created ? 201 : 200, body: renderSalesOrder(order) };
    })
    .on('POST', '/api/v2/salesorders/:key/cancel', (req) => {
      const reason = parseCancelReason(req.body);
      return { body: renderSalesOrder(ledger.cancel(req.params.key ?? '', reason)) };
    })
    .on('GET', '/api/v2/invoices', (req) => {
      const invoices = requiredList(req, 'externalRefs').flatMap((ref) => ledger.invoices(ref).map(renderInvoice));
      return { body: itemList(invoices) };
    });
}

/**
 * Starts the ERP simulator.
 *
 * - `GET /api/v2/customers?ids=A,B` or `?page=&pageSize=`
 * - `GET /api/v2/items?ids=` or `?page=&pageSize=` (ordered by ItemNo)
 * - `GET /api/v2/prices?customerNo=C&itemNos=A,B`: unit price = list price less the customer's
 *   discount; unknown items absent, blocked ones priced; 404 CustomerNotFound
 * - `GET /api/v2/salesorders?externalRefs=ORD-1,ORD-2`
 * - `POST /api/v2/salesorders` `{ ExternalRef, CustomerNo, SalesChannelCode?, ExternalDocumentNo?, OrderDate: "/Date(ms)/",
 *   Lines: [{ LineNo?, ItemNo, Quantity, UnitPrice: { Value, CurrencyCode } }] }`: 201 with the
 *   new SO-number, 200 with the existing order for a known ExternalRef; 400 InvalidRequest; 422
 *   CustomerNotFound, CustomerBlocked, ItemNotFound, ItemBlocked, CurrencyMismatch
 * - `POST /api/v2/salesorders/{SalesOrderNo|ExternalRef}/cancel` `{ Reason? }`: 200 (also on a
 *   repeat), gives the order's amount back to the customer's balance; 404 SalesOrderNotFound,
 *   422 AlreadyInvoiced
 * - `GET /api/v2/invoices?externalRefs=ORD-1,ORD-2`
 * - admin: `GET /_admin/salesorders[?externalRef=]`: per ExternalRef, the create requests
 *   received and the sales orders that exist (tests prove exactly-once posting with it)
 */
export async function startErpSimulator(options: ErpSimulatorOptions = {}): Promise<RunningSimulator> {
  const ledger = new ErpLedger();
  const admin = new Router().on('GET', '/_admin/salesorders', (req) => {
    const ref = req.query.get('externalRef');
    return { body: { postings: ledger.postings(ref === null || ref === '' ? undefined : ref) } };
  });
  return startSimServer({
    ...options,
    name: 'sim-erp',
    routes: erpRoutes(ledger),
    admin,
    formatError: (_status, code, message) => ({ Error: { Code: pascal(code), Message: message } }),
    reset: () => ledger.reset(),
  });
}
