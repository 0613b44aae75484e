import { StockNotLoadedError } from './errors';
import { validateReserveRequest } from './input-validation';
import type { AllocationRule, Reservation, ReservationLine, ReservationStore, ReserveRequest, ReserveResult, StaleSku, StockLevel } from './ports';

/** What the order pipeline configures once at start. */
export interface StockReservationsOptions {
  store: ReservationStore;
  /** Current WMS levels for these SKUs (the WMS connector). A SKU the WMS does not know is simply absent. */
  loadStock: (skus: readonly string[]) => Promise<StockLevel[]>;
  /** Ledger entries older than this are refreshed from the WMS before reserving (default 5000). */
  maxStockAgeMs?: number;
  rule: AllocationRule;
  /** How long a reservation waits for the WMS to confirm it before it is released. */
  holdMs: number;
  /** Called when the WMS could not be asked and the ledger's older copy was used instead. */
  onStaleStock?: (event: { skus: string[]; error: unknown }) => void;
  /** Called with the order ids each expiry sweep released. */
  onExpired?: (orderIds: string[]) => void;
  /** A sweep failed (Redis unreachable, ...); the next tick tries again (default: console.error). */
  onSweepError?: (error: unknown) => void;
  /** Reservations released per store call while sweeping (default 100). */
  expiryBatchSize?: number;
  /** Epoch ms; tests pass a fake clock. */
  clock?: () => number;
}

type RefreshOutcome = { ok: true } | { ok: false; error: unknown };

/** Batches per sweep tick: a backlog drains over a few ticks instead of one long script. */
const MAX_BATCHES_PER_SWEEP = 10;

/**
 * Reserves stock for orders from one truthful picture: the store's ledger, refreshed from the
 * WMS when it is older than `maxStockAgeMs`, and decremented atomically by every reservation
 * from every channel, process and replica.
 */
export class StockReservations {
  private readonly store: ReservationStore;
  private readonly maxStockAgeMs: number;
  private readonly clock: () => number;
  private readonly expiryBatchSize: number;
  /** Refreshes under way in this process, per SKU, so concurrent orders ask the WMS once. */
  private readonly refreshing = new Map<string, Promise<RefreshOutcome>>();

  constructor(private readonly options: StockReservationsOptions) {
    this.store = options.store;
    this.maxStockAgeMs = options.maxStockAgeMs ?? 5000;
    this.clock = options.clock ?? Date.now;
    this.expiryBatchSize = options.expiryBatchSize ?? 100;
    if (!Number.isSafeInteger(this.maxStockAgeMs) || this.maxStockAgeMs < 0) throw new RangeError(`maxStockAgeMs must be a non-negative integer, got ${this.maxStockAgeMs}`);
    if (!Number.isSafeInteger(options.holdMs) || options.holdMs <= 0) throw new RangeError(`holdMs must be a positive integer, got ${options.holdMs}`);
    if (!Number.isSafeInteger(this.expiryBatchSize) || this.expiryBatchSize <= 0) throw new RangeError(`expiryBatchSize must be a positive integer, got ${this.expiryBatchSize}`);
  }

  /**
   * Reserves every line or none. Throws StockNotLoadedError when a SKU has never been loaded
   * and the WMS cannot be asked now (its failure is the error's cause).
   */
  async reserve(orderId: string, lines: readonly ReservationLine[], warehouses: readonly string[]): Promise<ReserveResult> {
    const request: ReserveRequest = { orderId, lines, warehouses, rule: this.options.rule, holdMs: this.options.holdMs };
    validateReserveRequest(request, this.clock());
    // One step while the ledger is fresh: the store checks every SKU's age as it reserves.
    const first = await this.store.reserve({ ...request, syncedAfter: this.clock() - this.maxStockAgeMs }, this.clock());
    if (first.status !== 'stale') return first;
    await this.refresh(first.skus);
    // A refresh refused because the version moved needs no retry: whoever moved it left the
    // ledger at least as fresh as what we read, so we reserve against the ledger as it is.
    const second = await this.store.reserve(request, this.clock());
    if (second.status === 'stale') throw new Error('the reservation store answered stale to a request without syncedAfter');
    return second;
  }

  /** The WMS accepted the order's allocations. False if the reservation is unknown (expired). */
  confirm(orderId: string): Promise<boolean> {
    return this.store.confirm(orderId);
  }

  /** Gives the order's stock back; for a confirmed one, call after voiding it in the WMS. */
  release(orderId: string): Promise<Reservation | null> {
    return this.store.release(orderId);
  }

  /** Unconfirmed quantities by SKU and warehouse (a missing entry means 0), for ATP answers. */
  pendingBySku(skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
    return this.store.pendingBySku(skus);
  }

  /** Releases reservations the WMS did not confirm in time; returns their order ids. */
  async sweepExpired(): Promise<string[]> {
    const released: string[] = [];
    for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
      const ids = await this.store.expire(this.clock(), this.expiryBatchSize);
      released.push(...ids);
      if (ids.length > 0) this.options.onExpired?.(ids);
      if (ids.length < this.expiryBatchSize) break;
    }
    return released;
  }

  /** Sweeps every `intervalMs` until the returned stop(), which waits for a running sweep. */
  startExpirySweeper(intervalMs: number): () => Promise<void> {
    if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) throw new RangeError(`intervalMs must be a positive integer, got ${intervalMs}`);
    const onError = this.options.onSweepError ?? ((error: unknown) => console.error('reservations: expiry sweep failed', error));
    let running: Promise<void> | undefined;
    const timer = setInterval(() => {
      // Never two sweeps at once: a slow one is not stacked upon by the next tick.
      if (running) return;
      running = this.sweepExpired()
        .then(() => undefined, onError)
        .finally(() => {
          running = undefined;
        });
    }, intervalMs);
    // The sweeper must not keep a process alive that has nothing else to do.
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }

  /**
   * Loads SKUs missing from the ledger or older than maxStockAgeMs from the WMS, once for all of
   * them (joining a refresh this process already has under way). A SKU the WMS could not be
   * asked about stays as the ledger has it: reported through onStaleStock when the ledger has
   * it, StockNotLoadedError when nobody has loaded it yet.
   */
  private async refresh(stale: readonly StaleSku[]): Promise<void> {
    const ownBatch = stale.filter(({ sku }) => !this.refreshing.has(sku));
    if (ownBatch.length > 0) this.startRefresh(ownBatch.map(({ sku }) => sku), new Map(ownBatch.map(({ sku, version }) => [sku, version])));
    // Taken before any await: a finished refresh removes itself from the map.
    const waits = stale.map(({ sku }) => ({ sku, refresh: this.refreshing.get(sku) }));
    const failed: string[] = [];
    let cause: unknown;
    for (const { sku, refresh } of waits) {
      const outcome = await refresh;
      if (outcome && !outcome.ok) {
        failed.push(sku);
        cause = outcome.error;
      }
    }
    if (failed.length === 0) return;
    // Another replica may have loaded a SKU meanwhile; only a SKU nobody has loaded is fatal.
    const known = await this.store.readStock(failed);
    const missing = failed.filter((sku) => !known.has(sku));
    if (missing.length > 0) throw new StockNotLoadedError(missing, { cause });
    this.options.onStaleStock?.({ skus: failed, error: cause });
  }

  private startRefresh(skus: readonly string[], versions: Map<string, number | null>): void {
    const run = async (): Promise<RefreshOutcome> => {
      try {
        const levels = await this.options.loadStock(skus);
        // A SKU the WMS does not report gets no levels: known, with nothing to sell.
        const bySku = new Map<string, StockLevel[]>(skus.map((sku) => [sku, []]));
        for (const level of levels) bySku.get(level.sku)?.push(level);
        const entries = skus.map((sku) => ({ sku, levels: bySku.get(sku) ?? [], expectedVersion: versions.get(sku) ?? null }));
        await this.store.writeStock(entries, this.clock());
        return { ok: true };
      } catch (error) {
        return { ok: false, error };
      }
    };
    const refresh = run().finally(() => {
      for (const sku of skus) if (this.refreshing.get(sku) === refresh) this.refreshing.delete(sku);
    });
    for (const sku of skus) this.refreshing.set(sku, refresh);
  }
}
