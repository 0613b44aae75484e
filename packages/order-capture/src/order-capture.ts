import type { Identity } from '@crossdock/auth';
import { BackendError, type CommerceConnector, type ErpConnector, type WmsConnector } from '@crossdock/connectors';
import { ExceptionReplayer, MemoryExceptionStore, type ExceptionStore, type ReplayHandlers } from '@crossdock/exceptions';
import { OutboxWorker, POSTING_TARGETS, type OrderStore, type PlacedOrder, type PostingTarget } from '@crossdock/orders';
import { StockReservations, type IdempotencyStore, type ReservationStore } from '@crossdock/reservations';
import type { CaptureLog } from './capture-log';
import { orderStoreFailure } from './store-failures';
import { capturePolicy, type OrderCapturePolicy, type OrderCapturePolicyOverrides } from './capture-policy';
import type { CancelOrderResult, PlaceOrderRequest, PlaceOrderResult } from './capture-types';
import { IdempotentAnswers } from './idempotent-answers';
import { JoinedErpReads } from './joined-erp-reads';
import { MasterDataReader, type ReferenceSnapshots } from './master-data';
import { OrderCancellation } from './order-cancellation';
import { OrderPlacement } from './order-placement';
import { createPosters } from './order-posters';
import { PostingExceptions } from './posting-exceptions';
import { WarehousePriority } from './warehouse-priority';

/** The backends' circuits as the outbox follows them, by backend name ("erp", "wms", "commerce"). */
export interface BackendCircuits {
  isOpen(backend: string): boolean;
  /** Calls `listener` each time a circuit closes; returns the unsubscribe. */
  onClosed(listener: (backend: string) => void): () => void;
}

/** Everything order capture runs on. The caller owns the connectors and stores and closes them after stop(). */
export interface OrderCaptureDependencies {
  erp: ErpConnector;
  wms: WmsConnector;
  commerce: CommerceConnector;
  /** Stock ledger and reservations: RedisReservationStore, or MemoryReservationStore in all-in-one. */
  reservationStore: ReservationStore;
  /** placeOrder's idempotency keys: RedisIdempotencyStore, or MemoryIdempotencyStore in all-in-one. */
  idempotencyStore: IdempotencyStore;
  /** Captured orders and their outbox: MongoOrderStore, or MemoryOrderStore in all-in-one. */
  orderStore: OrderStore;
  /** Overrides of DEFAULT_CAPTURE_POLICY; leave a field out for its default. */
  policy?: OrderCapturePolicyOverrides;
  /**
   * Runs right after an order is stored and before any backend hears of it. The crash drill
   * (CROSSDOCK_CRASH_AFTER_OUTBOX_WRITE) exits the process here to prove the outbox delivers it.
   */
  afterOrderStored?: (order: PlacedOrder) => void;
  /**
   * Where items that could not be processed are kept for operators: MongoExceptionStore, or one
   * MemoryExceptionStore shared by the process in all-in-one (the default, when left out). A
   * posting the outbox gives up on (FAILED) is recorded here with the order as raw payload.
   */
  exceptionStore?: ExceptionStore;
  /**
   * The shared, durable tier of the reference data orders are validated against while the ERP is
   * down (the subgraph's MongoDB fallback cache). Without it only this process's own memory
   * bridges an outage, and a replica (re)started during one refuses orders until the ERP returns.
   */
  referenceSnapshots?: ReferenceSnapshots | null;
  /**
   * The backends' circuits (CircuitBoard of @crossdock/resilience): while one is open the outbox
   * holds that backend's postings (no attempts spent on a backend known down) and it posts the
   * backlog the moment the circuit closes, instead of waiting out each posting's backoff.
   */
  backendCircuits?: BackendCircuits;
  /** Replay handlers for kinds other than postings (whose handlers order capture brings itself). */
  replayHandlers?: ReplayHandlers;
  /** Also called when a posting becomes FAILED, after it was logged and handed to the exception store. */
  onPostingFailed?: (order: PlacedOrder, target: PostingTarget, error: unknown) => void;
  /** Called when a backend took a posting (business telemetry: allocation time, ERP posting lag). */
  onPostingPosted?: (order: PlacedOrder, target: PostingTarget, reference: string | null) => void;
  log?: CaptureLog;
}

/**
 * Order capture for every channel: placeOrder and cancelOrder, plus the background work they
 * rely on (the outbox worker that retries postings, the sweeper that releases reservations the
 * WMS never confirmed), which start() and stop() run. One instance per process; several
 * processes may share the same stores.
 */
export class OrderCapture {
  readonly policy: OrderCapturePolicy;
  readonly reservations: StockReservations;
  readonly outbox: OutboxWorker;
  readonly orders: OrderStore;
  /** Items that could not be processed (failed postings and whatever else the caller records). */
  readonly exceptions: ExceptionStore;
  /** Replays and discards exceptions for operators; postings replay by requeueing them. */
  readonly replayer: ExceptionReplayer;
  private readonly postingExceptions: PostingExceptions;
  private readonly placement: OrderPlacement;
  private readonly cancellation: OrderCancellation;
  private stopSweeper: (() => Promise<void>) | null = null;
  private unwatchCircuits: (() => void) | null = null;
  private readonly backendCircuits: BackendCircuits | null;

  constructor(deps: OrderCaptureDependencies) {
    const policy = capturePolicy(deps.policy);
    const log: CaptureLog = deps.log ?? (() => undefined);
    this.policy = policy;
    this.orders = deps.orderStore;
    this.backendCircuits = deps.backendCircuits ?? null;
    this.exceptions = deps.exceptionStore ?? new MemoryExceptionStore();
    this.postingExceptions = new PostingExceptions({ exceptions: this.exceptions, orders: deps.orderStore, log });
    this.replayer = new ExceptionReplayer({
      store: this.exceptions,
      handlers: { ...deps.replayHandlers, ...this.postingExceptions.replayHandlers() },
      onError: ({ id }, error) => log({ level: 'error', message: `replay of exception ${id} failed; it stays open`, error }),
    });
    this.reservations = new StockReservations({
      store: deps.reservationStore,
      loadStock: async (skus) => (await deps.wms.positionsBySkus(skus)).flat(),
      maxStockAgeMs: policy.maxStockAgeMs,
      rule: policy.allocationRule,
      holdMs: policy.reservationHoldMs,
      onStaleStock: ({ skus, error }) => log({ level: 'warn', message: `WMS unreachable; reserving against the last known stock of ${skus.join(', ')}`, error }),
      onExpired: (orderIds) => log({ level: 'warn', message: `released reservations the WMS never confirmed: ${orderIds.join(', ')}` }),
      onSweepError: (error) => log({ level: 'error', message: 'reservation expiry sweep failed; retrying next tick', error }),
    });
    const { posters, withdrawals } = createPosters({
      ...deps,
      reservations: this.reservations,
      onUnconfirmed: (orderId) => log({ level: 'warn', message: 'the WMS took an allocation whose reservation had already expired', orderId }),
    });
    this.outbox = new OutboxWorker({
      store: deps.orderStore,
      posters,
      withdrawals,
      policy: policy.outbox,
      // A backend's refusal (4xx) will not change on retry; an operator fixes and replays it.
      isPermanent: (error) => error instanceof BackendError && error.kind === 'client-error',
      // Failing fast on an open circuit reached no backend: it is no attempt.
      isDeferred: (error) => error instanceof BackendError && error.kind === 'circuit-open',
      ...(deps.backendCircuits ? { paused: (target: PostingTarget) => deps.backendCircuits?.isOpen(target) ?? false } : {}),
      intervalMs: policy.outboxIntervalMs,
      leaseMs: policy.outboxLeaseMs,
      batchSize: policy.outboxBatchSize,
      // The whole batch in flight at once: each posting's lease then covers its own run only.
      concurrency: policy.outboxBatchSize,
      ...(deps.onPostingPosted ? { onPosted: deps.onPostingPosted } : {}),
      onFailed: (order, target, error) => {
        this.postingExceptions.onPostingFailed(order, target, error);
        deps.onPostingFailed?.(order, target, error);
      },
      log,
    });
    const answers = new IdempotentAnswers(
      deps.idempotencyStore,
      { ttlMs: policy.idempotencyTtlMs, leaseMs: policy.idempotencyLeaseMs, waitMs: policy.duplicateWaitMs, pollMs: policy.duplicatePollMs },
      (error) => log({ level: 'warn', message: 'idempotency store write failed; the order store backs replays', error }),
    );
    this.placement = new OrderPlacement({
      masterData: new MasterDataReader(new JoinedErpReads(deps.erp, { maxInFlight: policy.erpReadsInFlight, maxWaitMs: policy.erpReadMaxWaitMs }), policy.maxReferenceAgeMs, Date.now, deps.referenceSnapshots ?? null),
      warehouses: new WarehousePriority(deps.wms, policy.warehouseListTtlMs),
      reservations: this.reservations,
      orders: deps.orderStore,
      outbox: this.outbox,
      answers,
      policy,
      log,
      ...(deps.afterOrderStored ? { afterOrderStored: deps.afterOrderStored } : {}),
    });
    this.cancellation = new OrderCancellation({ ...deps, reservations: this.reservations, orders: deps.orderStore, log });
  }

  /** Places an order; see OrderPlacement. Throws OrderCaptureError when it cannot answer at all. */
  placeOrder(identity: Identity | null, request: PlaceOrderRequest): Promise<PlaceOrderResult> {
    return this.placement.place(identity, request);
  }

  /** Cancels an order; see OrderCancellation. Throws OrderCaptureError when it cannot answer at all. */
  cancelOrder(identity: Identity | null, orderId: string, reason: string | null): Promise<CancelOrderResult> {
    return this.cancellation.cancel(identity, orderId, reason);
  }

  /** Hub-captured orders by id, null where unknown; served from the store the moment they are accepted. */
  async hubOrdersByIds(ids: readonly string[]): Promise<(PlacedOrder | null)[]> {
    try {
      return await this.orders.get(ids);
    } catch (error) {
      throw orderStoreFailure(error);
    }
  }

  /** Starts the outbox worker and the reservation expiry sweeper. */
  start(): void {
    this.outbox.start();
    this.unwatchCircuits ??=
      this.backendCircuits?.onClosed((backend) => {
        const target = POSTING_TARGETS.find((t) => t === backend);
        if (target) this.outbox.catchUp(target);
      }) ?? null;
    this.stopSweeper ??= this.reservations.startExpirySweeper(this.policy.expirySweepIntervalMs);
  }

  /** Stops both and waits for the round in flight and its exception records, so nothing is left half-recorded. */
  async stop(): Promise<void> {
    this.unwatchCircuits?.();
    this.unwatchCircuits = null;
    await this.outbox.stop();
    await this.postingExceptions.drain();
    await this.stopSweeper?.();
    this.stopSweeper = null;
  }
}
