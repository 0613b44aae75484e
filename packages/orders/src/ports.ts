import type { Allocation, Money, OrderStatus } from '@crossdock/model';

/** Backends an accepted order must be posted to, each tracked on its own in the same document. */
export const POSTING_TARGETS = ['erp', 'wms', 'commerce'] as const;
export type PostingTarget = (typeof POSTING_TARGETS)[number];

export type PostingState = 'QUEUED' | 'POSTED' | 'FAILED';

export interface Posting {
  state: PostingState;
  attempts: number;
  /** ISO-8601 UTC; when the outbox may try again. */
  nextAttemptAt: string;
  lastError: string | null;
  /** What the backend called it once posted (ERP sales order number, ...). */
  reference: string | null;
  postedAt: string | null;
  /** A worker holds the posting until then (ISO-8601 UTC), so replicas never post it twice at once. */
  leaseUntil: string | null;
}

export interface PlacedOrderLine {
  lineNumber: number;
  sku: string;
  quantity: number;
  unitPrice: Money;
}

/** An order the hub captured (placeOrder, EDI, webhooks): one document holds all its state. */
export interface PlacedOrder {
  id: string;
  /** `<channel>:<idempotencyKey>`. */
  idempotencyKey: string;
  channel: string;
  externalRef: string | null;
  customerId: string;
  placedAt: string;
  status: OrderStatus;
  lines: PlacedOrderLine[];
  total: Money;
  allocations: Allocation[];
  postings: Record<PostingTarget, Posting>;
  cancelledAt: string | null;
  cancelReason: string | null;
}

/** What requeueFailed did. */
export type RequeueOutcome = 'requeued' | 'not-failed' | 'not-found';

export interface OutboxPolicy {
  /** Attempts before a posting is FAILED. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The hub's order store and outbox (MongoDB in production, in-process in all-in-one). The order
 * is written BEFORE any backend is called; each posting is marked after the backend took it, so
 * a crash in between is retried by the outbox and never lost (backends dedupe by order id).
 */
export interface OrderStore {
  /**
   * Inserts a new order; 'exists' when the id is already stored (nothing changed). Also 'exists'
   * when another order holds the same idempotencyKey: placeOrder's replay then reads that order
   * with getByIdempotencyKey.
   */
  insert(order: PlacedOrder): Promise<'inserted' | 'exists'>;
  get(ids: readonly string[]): Promise<(PlacedOrder | null)[]>;
  /** Extra: the order stored under this `<channel>:<idempotencyKey>`, or null. */
  getByIdempotencyKey(idempotencyKey: string): Promise<PlacedOrder | null>;
  /**
   * Leases up to `limit` postings of `target` that are QUEUED and due (nextAttemptAt <= now) and
   * not leased by another worker, until now + leaseMs; returns their orders.
   */
  claimDue(target: PostingTarget, now: Date, leaseMs: number, limit: number): Promise<PlacedOrder[]>;
  /**
   * Extra: leases one posting that is QUEUED and not leased, even before it is due, until
   * now + leaseMs; the fast path right after insert (OutboxWorker.postNow) takes the same lease as
   * the worker so the two never post it at once. Null when it is not QUEUED, leased, or unknown.
   */
  claim(orderId: string, target: PostingTarget, now: Date, leaseMs: number): Promise<PlacedOrder | null>;
  /**
   * Records that the backend took the posting: POSTED, `attempts` + 1, lease released. A posting
   * already POSTED keeps its first reference; unknown ids are ignored.
   */
  markPosted(orderId: string, target: PostingTarget, reference: string | null, now: Date): Promise<void>;
  /**
   * Records a failed attempt: QUEUED again at `nextAttemptAt`, or FAILED when `giveUp`; `attempts`
   * + 1, lease released. Ignored unless the posting is QUEUED (a late failure never undoes POSTED).
   */
  markAttemptFailed(orderId: string, target: PostingTarget, error: string, nextAttemptAt: Date, giveUp: boolean): Promise<void>;
  /**
   * Extra (exception replay): a FAILED posting QUEUED again, due at `now`, attempts reset, so the
   * outbox posts it. 'not-failed' (nothing changed) when it is QUEUED or POSTED, e.g. replayed
   * already: replaying twice posts once.
   */
  requeueFailed(orderId: string, target: PostingTarget, now: Date): Promise<RequeueOutcome>;
  /** Sets the order's status (and cancellation details); returns the updated order or null. */
  updateStatus(orderId: string, status: OrderStatus, cancel?: { at: Date; reason: string | null }): Promise<PlacedOrder | null>;
  /** How many postings of each target are QUEUED and the age of the oldest (for metrics). */
  depth(now: Date): Promise<Record<PostingTarget, { queued: number; oldestAgeMs: number | null }>>;
  close(): Promise<void>;
}
