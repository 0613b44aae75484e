import type { OutboxPolicy } from '@crossdock/orders';
import type { AllocationRule } from '@crossdock/reservations';
import { DEFAULT_ERP_READ_MAX_WAIT_MS, DEFAULT_ERP_READS_IN_FLIGHT } from './joined-erp-reads';

/** How order capture behaves; every field has a default (DEFAULT_CAPTURE_POLICY). */
export interface OrderCapturePolicy {
  /** How an order's lines are spread over warehouses. */
  allocationRule: AllocationRule;
  /** A reservation the WMS has not confirmed within this time is released by the sweeper. */
  reservationHoldMs: number;
  /** How often the sweeper looks for expired reservations. */
  expirySweepIntervalMs: number;
  /** Stock ledger entries older than this are refreshed from the WMS before reserving. */
  maxStockAgeMs: number;
  /** Retries of the ERP, WMS and commerce postings. */
  outbox: OutboxPolicy;
  /** Pause between background outbox rounds. */
  outboxIntervalMs: number;
  /**
   * How long a posting stays with the worker that claimed it. Far above a poster's run (two or
   * three backend calls, each bounded by the connector's timeout), or a slow post is posted twice
   * (harmless: backends dedupe by order id). Also how long a posting a crashed process had
   * claimed waits before another process takes it.
   */
  outboxLeaseMs: number;
  /** Postings claimed per target per background round, all posted at once. */
  outboxBatchSize: number;
  /**
   * A new order's postings are stored leased to placeOrder's own immediate attempt (whose outcome
   * the caller then sees) for this long, so the background worker leaves them alone and takes
   * over only after a crash or a failed attempt. Shorter than outboxLeaseMs so a crashed request's
   * order is posted soon; an attempt slower than this may be posted again by the worker
   * (harmless: backends dedupe by order id).
   */
  immediatePostingGraceMs: number;
  /** How long a placeOrder answer is replayed for its idempotency key (CONTRACT.md: 24 h). */
  idempotencyTtlMs: number;
  /**
   * A claimed key whose request crashed frees itself after this; above a whole placeOrder. Should
   * a slow request outlive it, a repeat computes again, but the order store's unique key still
   * lets one order stand (the repeat answers with it and gives its reservation back).
   */
  idempotencyLeaseMs: number;
  /** How long a duplicate waits for the first request with its key before TEMPORARILY_UNAVAILABLE. */
  duplicateWaitMs: number;
  /** How often a waiting duplicate looks again. */
  duplicatePollMs: number;
  /** Largest quantity of one line; anything above is a typo, not an order. */
  maxQuantity: number;
  /** Most lines in one order. */
  maxLines: number;
  /** How long the WMS's warehouse list (priority order) is reused before asking again. */
  warehouseListTtlMs: number;
  /**
   * ERP down: customer and price data last seen at most this long ago may validate an order
   * (CONTRACT.md: accepted with `erpPosting: QUEUED`). Older or never seen: BACKEND_UNAVAILABLE.
   */
  maxReferenceAgeMs: number;
  /**
   * ERP down: the largest order total (decimal string in the customer's currency) accepted on
   * cached data, since the cached credit cannot know what was ordered meanwhile; null: no cap.
   */
  maxDegradedOrderValue: string | null;
  /**
   * Validation reads of one kind (customers, items, prices) in flight to the ERP at once; reads
   * asked for meanwhile wait and go together in the next call (JoinedErpReads). Fewer means
   * bigger joins and more waiting behind a slow call.
   */
  erpReadsInFlight: number;
  /** Longest a validation read waits for a free slot before it goes out anyway, beyond `erpReadsInFlight`. */
  erpReadMaxWaitMs: number;
}

/** The defaults; the commerce subgraph's configuration (commerce-config.ts) overrides some of them. */
export const DEFAULT_CAPTURE_POLICY: OrderCapturePolicy = {
  allocationRule: 'single-warehouse-first',
  reservationHoldMs: 30 * 60_000,
  expirySweepIntervalMs: 10_000,
  maxStockAgeMs: 5_000,
  outbox: { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 30_000 },
  outboxIntervalMs: 1_000,
  outboxLeaseMs: 20_000,
  outboxBatchSize: 8,
  immediatePostingGraceMs: 5_000,
  idempotencyTtlMs: 24 * 3_600_000,
  idempotencyLeaseMs: 20_000,
  duplicateWaitMs: 10_000,
  duplicatePollMs: 50,
  maxQuantity: 100_000,
  maxLines: 200,
  warehouseListTtlMs: 60_000,
  maxReferenceAgeMs: 15 * 60_000,
  maxDegradedOrderValue: '25000.00',
  erpReadsInFlight: DEFAULT_ERP_READS_IN_FLIGHT,
  erpReadMaxWaitMs: DEFAULT_ERP_READ_MAX_WAIT_MS,
};

/** Fields of OrderCapturePolicy to change; the outbox policy is merged field by field. */
export type OrderCapturePolicyOverrides = Partial<Omit<OrderCapturePolicy, 'outbox'>> & { outbox?: Partial<OutboxPolicy> };

/** The defaults with `overrides` on top. */
export function capturePolicy(overrides: OrderCapturePolicyOverrides = {}): OrderCapturePolicy {
  return { ...DEFAULT_CAPTURE_POLICY, ...overrides, outbox: { ...DEFAULT_CAPTURE_POLICY.outbox, ...overrides.outbox } };
}
