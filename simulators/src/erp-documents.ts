import { HttpError, centsToDecimal, isRecord } from './http-kit';
import { LINE_NO_STEP, type SalesOrder, type SalesOrderEntry } from './erp-ledger';
import { WORLD_CURRENCY, type WorldCustomer, type WorldInvoice, type WorldProduct } from './world';

/**
 * The ERP's documents, both ways: PascalCase, money as `{ Value, CurrencyCode }`, dates as
 * Microsoft JSON dates (`/Date(ms)/`), its own units of measure and 10000-step line numbers.
 */

/** The ERP's own unit-of-measure codes. */
const ERP_UOM: Record<WorldProduct['uom'], string> = { EA: 'PCS', CS: 'CASE', BX: 'BOX' };
const MS_JSON_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;
/** The ERP keeps unit prices to the cent. */
const AMOUNT = /^(\d{1,9})(?:\.(\d{1,2}))?$/;
const MAX_LINES = 200;
const MAX_TEXT = 100;
const MAX_REASON = 250;

/** Cents as the ERP's money object. */
export const erpMoney = (cents: number) => ({ Value: centsToDecimal(cents), CurrencyCode: WORLD_CURRENCY });
/** An instant as a Microsoft JSON date. */
export const erpDate = (epochMs: number) => `/Date(${epochMs})/`;

/** A customer card, with the balance the credit check uses. */
export function renderCustomer(c: WorldCustomer) {
  return {
    CustomerNo: c.id,
    Name: c.name,
    CreditLimit: erpMoney(c.creditLimitCents),
    Balance: erpMoney(c.creditUsedCents),
    BlockedStatus: c.onHold ? 'Credit' : 'None',
    City: c.place.city,
  };
}

/** An item card; a blocked item stays listed with `Blocked: true`. */
export function renderItem(p: WorldProduct) {
  return { ItemNo: p.sku, Description: p.name, UnitOfMeasure: ERP_UOM[p.uom], UnitPrice: erpMoney(p.listPriceCents), Blocked: !p.sellable };
}

/** A sales order with its lines and total. */
export function renderSalesOrder(o: SalesOrder) {
  return {
    SalesOrderNo: o.salesOrderNo,
    ExternalRef: o.externalRef,
    ExternalDocumentNo: o.externalDocumentNo,
    CustomerNo: o.customerNo,
    SalesChannelCode: o.salesChannelCode,
    OrderDate: erpDate(o.orderDateMs),
    Status: o.status,
    CancelReason: o.cancelReason,
    Lines: o.lines.map((l) => ({
      LineNo: l.lineNo,
      ItemNo: l.itemNo,
      Quantity: l.quantity,
      UnitPrice: erpMoney(l.unitPriceCents),
      LineAmount: erpMoney(l.unitPriceCents * l.quantity),
    })),
    TotalAmount: erpMoney(o.totalCents),
  };
}

/** A posted invoice (customer ledger entry). */
export function renderInvoice(i: WorldInvoice) {
  return { EntryNo: i.entryNo, DocumentNo: i.number, ExternalRef: i.orderId, PostingDate: erpDate(i.issuedAtMs), Amount: erpMoney(i.totalCents) };
}

/** One price-list line: the customer's unit price next to the list price it came from. */
export function renderPrice(item: WorldProduct, customer: WorldCustomer, unitPriceCents: number) {
  return { ItemNo: item.sku, UnitPrice: erpMoney(unitPriceCents), ListPrice: erpMoney(item.listPriceCents), LineDiscountPercent: customer.discountPercent, Blocked: !item.sellable };
}

/** "invalid_parameter" → "InvalidParameter", the ERP's error codes. */
export function pascal(code: string): string {
  return code.replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

const invalid = (message: string) => new HttpError(400, 'invalid_request', message);

function text(value: unknown, field: string, required: boolean, max = MAX_TEXT): string | null {
  if ((value === undefined || value === null) && !required) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw invalid(`${field} must be a non-empty string of at most ${max} characters.`);
  }
  return value;
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 1_000_000) {
    throw invalid(`${field} must be an integer from 1 to 1000000.`);
  }
  return value;
}

function amount(value: unknown, field: string): { cents: number; currencyCode: string } {
  if (!isRecord(value)) throw invalid(`${field} must be { Value, CurrencyCode }.`);
  const match = typeof value.Value === 'string' ? AMOUNT.exec(value.Value) : null;
  if (!match) throw invalid(`${field}.Value must be a decimal string with at most 2 decimals, not ${JSON.stringify(value.Value)}.`);
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  const currencyCode = text(value.CurrencyCode, `${field}.CurrencyCode`, true) ?? '';
  return { cents, currencyCode };
}

/** Checks a `POST /api/v2/salesorders` body for shape; business rules are the ledger's. */
export function parseSalesOrderEntry(body: unknown): SalesOrderEntry {
  if (!isRecord(body)) throw invalid('The body must be a sales order object.');
  const externalRef = text(body.ExternalRef, 'ExternalRef', true) ?? '';
  const customerNo = text(body.CustomerNo, 'CustomerNo', true) ?? '';
  const salesChannelCode = text(body.SalesChannelCode, 'SalesChannelCode', false);
  const externalDocumentNo = text(body.ExternalDocumentNo, 'ExternalDocumentNo', false);
  const date = typeof body.OrderDate === 'string' ? MS_JSON_DATE.exec(body.OrderDate) : null;
  if (!date) throw invalid(`OrderDate must be a /Date(ms)/ value, not ${JSON.stringify(body.OrderDate)}.`);
  const lines = body.Lines;
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_LINES) throw invalid(`Lines must list 1 to ${MAX_LINES} lines.`);
  const entryLines = lines.map((line: unknown, i) => {
    const field = `Lines[${i}]`;
    if (!isRecord(line)) throw invalid(`${field} must be an object.`);
    const lineNo = line.LineNo === undefined ? (i + 1) * LINE_NO_STEP : positiveInteger(line.LineNo, `${field}.LineNo`);
    const price = amount(line.UnitPrice, `${field}.UnitPrice`);
    return {
      lineNo,
      itemNo: text(line.ItemNo, `${field}.ItemNo`, true) ?? '',
      quantity: positiveInteger(line.Quantity, `${field}.Quantity`),
      unitPriceCents: price.cents,
      currencyCode: price.currencyCode,
    };
  });
  if (new Set(entryLines.map((l) => l.lineNo)).size !== entryLines.length) throw invalid('LineNo values must be unique.');
  return { externalRef, customerNo, salesChannelCode, externalDocumentNo, orderDateMs: Number(date[1]), lines: entryLines };
}

/** The optional `{ "Reason": "..." }` of a cancel request. */
export function parseCancelReason(body: unknown): string | null {
  if (!isRecord(body)) throw invalid('The body must be an object.');
  return text(body.Reason, 'Reason', false, MAX_REASON);
}
