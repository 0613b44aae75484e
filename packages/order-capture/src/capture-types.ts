import type { PlacedOrder } from '@crossdock/orders';

/** One line of an order as a channel sends it. */
export interface OrderLineRequest {
  sku: string;
  quantity: number;
}

/** An order as a channel submits it (GraphQL placeOrder today; EDI 850 and store webhooks later). */
export interface PlaceOrderRequest {
  /** Unique per channel; a repeat within 24 h gets the first answer back. */
  idempotencyKey: string;
  channel: string;
  /** The channel's own order or PO number. */
  externalRef: string | null;
  customerId: string;
  lines: readonly OrderLineRequest[];
}

/**
 * A problem the caller can fix, pointing at the input: `["lines", "0", "quantity"]`. Codes of
 * CONTRACT.md plus the ones this library adds (see USER_ERROR_CODES).
 */
export interface UserError {
  code: UserErrorCode;
  message: string;
  field: string[] | null;
}

/**
 * Every code a capture answer can carry. CONTRACT.md lists the first seven; the rest are added:
 * UNKNOWN_CHANNEL (a channel the hub does not serve), SKU_NOT_SELLABLE (blocked or unpriced for
 * this customer in the ERP), INVALID_IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_CONFLICT (the key was
 * first used for another customer's order), NOT_FOUND and NOT_CANCELLABLE (cancelOrder).
 */
export const USER_ERROR_CODES = [
  'UNKNOWN_CUSTOMER',
  'UNKNOWN_SKU',
  'INVALID_QUANTITY',
  'INSUFFICIENT_STOCK',
  'CREDIT_HOLD',
  'CREDIT_LIMIT_EXCEEDED',
  'CHANNEL_MISMATCH',
  'UNKNOWN_CHANNEL',
  'SKU_NOT_SELLABLE',
  'INVALID_IDEMPOTENCY_KEY',
  'IDEMPOTENCY_KEY_CONFLICT',
  'NOT_FOUND',
  'NOT_CANCELLABLE',
] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/** placeOrder's answer: the accepted order, or why it was refused (never both). */
export type PlaceOrderResult = { order: PlacedOrder; errors: [] } | { order: null; errors: UserError[] };

/**
 * cancelOrder's answer. `order` is the hub's stored order for hub-captured orders; platform
 * orders (seeded in the commerce platform) are re-read by the caller, so only their id comes back.
 */
export type CancelOrderResult = { orderId: string; order: PlacedOrder | null; errors: [] } | { orderId: null; order: null; errors: UserError[] };

/**
 * Why a request could not be answered at all (not the caller's input): the subgraph turns it
 * into a GraphQL error with `code`.
 * - FORBIDDEN: the token lacks `orders:write`.
 * - BACKEND_UNAVAILABLE: a backend (or the hub's own store) that the answer needs cannot be
 *   reached, and no policy allows answering without it; `backend` names it.
 * - TEMPORARILY_UNAVAILABLE: the same idempotency key is still being processed elsewhere, or the
 *   hub's Redis (idempotency keys, stock reservations) is unreachable; nothing was reserved or
 *   stored, and a retry with the same key is safe.
 */
export class OrderCaptureError extends Error {
  override name = 'OrderCaptureError';

  constructor(
    readonly code: 'FORBIDDEN' | 'BACKEND_UNAVAILABLE' | 'TEMPORARILY_UNAVAILABLE',
    message: string,
    readonly backend: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A UserError; `field` null when the problem is not about one input. */
export function userError(code: UserErrorCode, message: string, field: readonly string[] | null): UserError {
  return { code, message, field: field === null ? null : [...field] };
}

/** A line's field path: `["lines", "<index>", <field>]` with the 0-based index as a string. */
export function lineField(index: number, field: 'sku' | 'quantity'): string[] {
  return ['lines', String(index), field];
}
