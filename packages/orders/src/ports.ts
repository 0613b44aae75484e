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

/** Postings leased by one claim, with the order as stored after it. */
export interface ClaimedPostings {
  order: PlacedOrder;
  targets: PostingTarget[];
}

/** The outcome of one attempt at a posting, as OrderStore.recordAttempts records it. */
export type PostingAttempt =
  | { target: PostingTarget; outcome: 'posted'; reference: string | null; at: Date }
  | { target: PostingTarget; outcome: 'failed'; error: string; nextAttemptAt: Date; giveUp: boolean }
  /** Nothing reached the backend (known down, its circuit open): QUEUED again, no attempt counted. */
  | { target: PostingTarget; outcome: 'deferred'; error: string; nextAttemptAt: Date };

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
   * with getByIdempotencyKey. Postings may come leased already (OutboxWorker.newPostings): the
   * worker that inserts the order then posts them without a claim, and no other takes them first.
   */
  insert(order: PlacedOrder): Promise<'inserted' | 'exists'>;
  get(ids: readonly string[]): Promise<(PlacedOrder | null)[]>;
  /** Extra: the order stored under this `<channel>:<idempotencyKey>`, or null. */
  getByIdempotencyKey(idempotencyKey: string): Promise<PlacedOrder | null>;
  /**
   * Leases up to `limit` postings of `target` that are QUEUED and due (nextAttemptAt <= dueBy,
   * default now) and not leased by another worker, until now + leaseMs; returns their orders.
   * A `dueBy` past now takes postings still waiting out their backoff (a backend just came back).
   */
  claimDue(target: PostingTarget, now: Date, leaseMs: number, limit: number, dueBy?: Date): Promise<PlacedOrder[]>;
  /**
   * Extra: leases, in one change, every posting of `targets` that is QUEUED and not leased, even
   * before it is due, until now + leaseMs; the fast path right after insert (OutboxWorker.postNow)
   * takes the same lease as the worker so the two never post one at once. Null when none of them
   * is claimable or the order is unknown.
   */
  claim(orderId: string, targets: readonly PostingTarget[], now: Date, leaseMs: number): Promise<ClaimedPostings | null>;
  /**
   * Records the outcome of attempts at postings of one order in one change, each as if alone:
   * POSTED with the backend's reference (a posting already POSTED keeps its first reference), or
   * a failure that leaves it QUEUED again at `nextAttemptAt` or FAILED when `giveUp` (ignored
   * unless QUEUED: a late failure never undoes POSTED); `attempts` + 1, lease released. Returns the
   * order as stored after, or null when nothing applied (unknown id included).
   */
  recordAttempts(orderId: string, attempts: readonly PostingAttempt[]): Promise<PlacedOrder | null>;
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
