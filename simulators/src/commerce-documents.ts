import { ORDER_STATUSES, type OrderStatus } from '@crossdock/model';
import { HttpError, centsToDecimal, isRecord, isoWithOffset } from './http-kit';
import { WORLD_CURRENCY } from './world';

/**
 * The store's order JSON, both ways: Shopify-flavoured snake_case, numeric ids, the hub's order
 * id as the order `name`, times in the store's zone, prices as decimal strings, errors as
 * `{ "errors": { "field": ["text"] } }` (400, 422) or `{ "errors": "text" }`.
 */

export const STORE_UTC_OFFSET = '-05:00';
/** The platform's own order states. */
export const COMMERCE_STATUS: Record<OrderStatus, string> = {
  ACCEPTED: 'open',
  ON_HOLD: 'on_hold',
  ALLOCATED: 'in_progress',
  PARTIALLY_SHIPPED: 'partially_fulfilled',
  SHIPPED: 'fulfilled',
  DELIVERED: 'delivered',
  CANCELLED: 'cancelled',
};
const STATUS_FROM_CODE = new Map(ORDER_STATUSES.map((status) => [COMMERCE_STATUS[status], status]));
/** Shopify's cancel reasons. */
export const CANCEL_REASONS = ['customer', 'fraud', 'inventory', 'declined', 'other'] as const;
/** Why an order was cancelled, in the platform's words. */
export type CancelReason = (typeof CANCEL_REASONS)[number];
const MAX_LINE_ITEMS = 50;
const MAX_TEXT = 100;
const PRICE = /^(\d{1,9})(?:\.(\d{1,2}))?$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

/** A line item as the store keeps it. */
export interface StoreOrderLine {
  sku: string;
  quantity: number;
  /** Null when the order came in without prices (the hub's orders carry none). */
  priceCents: number | null;
}

/** An order as the store keeps it; `id` is the order name, which is the hub's order id. */
export interface StoreOrder {
  id: string;
  commerceId: number;
  channel: string;
  externalRef: string | null;
  status: OrderStatus;
  placedAtMs: number;
  customerId: string;
  lines: StoreOrderLine[];
  cancelledAtMs: number | null;
  cancelReason: CancelReason | null;
  note: string | null;
}

/** A `POST orders.json` body, checked for shape. */
export interface OrderDraft {
  name: string;
  sourceName: string;
  sourceIdentifier: string | null;
  status: OrderStatus;
  customerId: string;
  currency: string;
  createdAtMs: number;
  lines: StoreOrderLine[];
}

/** An order as the store API shows it. */
export function renderOrder(o: StoreOrder, customerName: string | null) {
  return {
    id: o.commerceId,
    name: o.id,
    source_name: o.channel,
    source_identifier: o.externalRef,
    status: COMMERCE_STATUS[o.status],
    created_at: isoWithOffset(o.placedAtMs, STORE_UTC_OFFSET),
    cancelled_at: o.cancelledAtMs === null ? null : isoWithOffset(o.cancelledAtMs, STORE_UTC_OFFSET),
    cancel_reason: o.cancelReason,
    note: o.note,
    currency: WORLD_CURRENCY,
    customer: { id: o.customerId, company: customerName },
    line_items: o.lines.map((l, i) => ({
      id: o.commerceId * 10 + i + 1,
      sku: l.sku,
      quantity: l.quantity,
      price: l.priceCents === null ? null : centsToDecimal(l.priceCents),
    })),
  };
}

/** A 400 in the store's style: the field is the key of `errors`. */
const invalid = (field: string, message: string) => new HttpError(400, field, message);

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) throw invalid(field, `can't be blank or longer than ${MAX_TEXT} characters`);
  return value;
}

function lineItem(value: unknown, i: number): StoreOrderLine {
  if (!isRecord(value)) throw invalid('line_items', `item ${i} is not an object`);
  const { quantity, price } = value;
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < 1) throw invalid('line_items', `item ${i}: quantity must be a positive integer`);
  let priceCents: number | null = null;
  if (price !== undefined && price !== null) {
    const match = typeof price === 'string' ? PRICE.exec(price) : null;
    if (!match) throw invalid('line_items', `item ${i}: price must be a decimal string with at most 2 decimals`);
    priceCents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  }
  return { sku: text(value.sku, `line_items[${i}].sku`), quantity, priceCents };
}

/** Checks a `POST orders.json` body for shape; whether the customer exists is the store's business. */
export function parseOrderDraft(body: unknown): OrderDraft {
  const order = isRecord(body) ? body.order : undefined;
  if (!isRecord(order)) throw invalid('order', 'Required parameter missing or invalid');
  const customer = order.customer;
  if (!isRecord(customer)) throw invalid('customer', 'must be an object with an id');
  const items = order.line_items;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_LINE_ITEMS) throw invalid('line_items', `must list 1 to ${MAX_LINE_ITEMS} items`);
  const createdAt = order.created_at;
  const createdAtMs = typeof createdAt === 'string' && ISO_TIME.test(createdAt) ? Date.parse(createdAt) : Number.NaN;
  if (Number.isNaN(createdAtMs)) throw invalid('created_at', 'must be an ISO-8601 time with an offset');
  const identifier = order.source_identifier;
  const statusCode = order.status ?? COMMERCE_STATUS.ACCEPTED;
  const status = typeof statusCode === 'string' ? STATUS_FROM_CODE.get(statusCode) : undefined;
  if (!status) throw invalid('status', `is not one of ${[...STATUS_FROM_CODE.keys()].join(', ')}`);
  return {
    name: text(order.name, 'name'),
    sourceName: text(order.source_name, 'source_name'),
    sourceIdentifier: identifier === undefined || identifier === null ? null : text(identifier, 'source_identifier'),
    status,
    customerId: text(customer.id, 'customer'),
    currency: order.currency === undefined ? WORLD_CURRENCY : text(order.currency, 'currency'),
    createdAtMs,
    lines: items.map(lineItem),
  };
}

/** `{ reason?, staff_note?, email?, restock? }` of a cancel; unknown fields are ignored, as the platform does. */
export function parseCancel(body: unknown): { reason: CancelReason; note: string | null } {
  if (!isRecord(body)) throw invalid('order', 'Required parameter missing or invalid');
  const reason = CANCEL_REASONS.find((r) => r === (body.reason ?? 'other'));
  if (!reason) throw invalid('reason', `is not one of ${CANCEL_REASONS.join(', ')}`);
  const note = body.staff_note;
  if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > 1000)) throw invalid('staff_note', 'must be text of at most 1000 characters');
  for (const flag of ['email', 'restock'] as const) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') throw invalid(flag, 'must be true or false');
  }
  return { reason, note: typeof note === 'string' ? note : null };
}
