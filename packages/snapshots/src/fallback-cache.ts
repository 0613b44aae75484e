import { rateLimitedAlarm, type Alarm, type Logger } from '@crossdock/service';
import { requestFallback, type CacheUseReport, type Fallback, type SnapshotSource } from './fallback';
import { snapshotId } from './memory-snapshot-store';
import { maxAgeOf, type Snapshot, type SnapshotMaxAge, type SnapshotStore, type StoredSnapshot } from './ports';
import { RecentSnapshots } from './recent-snapshots';
import { SnapshotWriter, type SnapshotWriterOptions, type SnapshotWriterStats } from './snapshot-writer';

/** A day: long enough to ride out an outage overnight; every answer served says how old it is. */
export const DEFAULT_SNAPSHOT_MAX_AGE_MS = 24 * 60 * 60_000;

/** How a subgraph runs its fallback cache; the subgraph's main or the all-in-one hub fills it. */
export interface SnapshotOptions {
  /** MongoSnapshotStore, or MemorySnapshotStore in all-in-one; the caller owns and closes it. */
  store: SnapshotStore;
  /** Older snapshots are neither served nor kept (default: a day for every kind). */
  maxAge?: SnapshotMaxAge;
  /** How often expired snapshots are swept (default a minute). */
  sweepIntervalMs?: number;
  /**
   * How long a fallback read may wait for the store (default 1000 ms): with the backend AND the
   * store down, a request should fail fast rather than wait for the driver to give up.
   */
  readTimeoutMs?: number;
  /**
   * How many of its own newest snapshots the cache also keeps in process memory (default 10 000;
   * 0: none). During an outage those keys are served without a store round trip per request: a
   * replica keeps answering what it has been answering at the cost of a map lookup, and the store
   * is read only for keys this process has not seen (after a restart, or another replica's).
   * Found by the fault drills and the resilience benchmark: on FerretDB (which scans the
   * collection for an `_id` `$in`) reading every snapshot from the store saturated it under load,
   * and answers failed on the read timeout exactly while the backend was down.
   */
  memoryEntries?: number;
  /**
   * How long an answer that did not change since it was last written is not written again
   * (default a minute; never more than a tenth of its kind's maximum age). The unified order
   * view answers the same records over and over: writing each of them again on every request kept
   * the store busier than the backends (FerretDB's CPU per request was close to the gateway's).
   * Unchanged answers refresh the in-memory snapshot's date instead; the stored one's date lags by
   * at most this much, and is rewritten in time for it never to expire while the key is answered.
   * Needs `memoryEntries` > 0 (the comparison is with the kept JSON); with 0 every answer is written.
   */
  rewriteUnchangedAfterMs?: number;
  /**
   * How long the store may go unheard of while unchanged answers are not written (default 5000 ms):
   * then the newest of them is written anyway, so that a store gone down is still noticed (alarm,
   * /ready) within about this long, where every answer used to be written. Each such check is a
   * read and a write on the store: at 1 s they cost FerretDB 8 % of a core under the unified view's load.
   */
  storeCheckIntervalMs?: number;
  /** Write-behind tuning (flush interval, batch size, buffer bound). */
  writer?: Omit<SnapshotWriterOptions, 'onWriteFailed' | 'onWritten' | 'onDropped'>;
  /** The clock; tests move it to age snapshots. */
  now?: () => Date;
}

/** The store's state as the cache last saw it, for /ready. */
type StoreState = { up: true } | { up: false; since: Date; reason: string };

/**
 * A subgraph's fallback cache: writes every live answer behind the request path, serves
 * snapshots young enough while the backend is down, sweeps expired ones, and reports trouble with
 * the store as a rate-limited alarm and on /ready. Its own newest snapshots are kept in memory as
 * well (see `memoryEntries`), so the store is read only for keys this process has not answered.
 * Failures of the store never fail a request: live answers flow without it, and during an outage
 * a key it cannot serve fails as it would have without a cache.
 */
export class FallbackCache implements SnapshotSource {
  private readonly store: SnapshotStore;
  private readonly maxAge: SnapshotMaxAge;
  private readonly writer: SnapshotWriter;
  private readonly recent: RecentSnapshots;
  private readonly alarm: Alarm;
  private readonly now: () => Date;
  private readonly readTimeoutMs: number;
  private readonly sweepIntervalMs: number;
  private readonly rewriteUnchangedAfterMs: number;
  private readonly storeCheckIntervalMs: number;
  /** When snapshots last failed to reach the store (epoch ms): whatever was handed over before is written again. */
  private writesLostAt = Number.NEGATIVE_INFINITY;
  /** When the store last answered a write, read or sweep (epoch ms). */
  private storeHeardAt = Number.NEGATIVE_INFINITY;
  /** The newest answer not written because the store had it already; see `storeCheckIntervalMs`. */
  private unwritten: Snapshot | null = null;
  private storeCheck: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private state: StoreState = { up: true };

  constructor(options: SnapshotOptions, logger: Logger) {
    this.store = options.store;
    this.maxAge = options.maxAge ?? { defaultMs: DEFAULT_SNAPSHOT_MAX_AGE_MS, byKind: {} };
    this.now = options.now ?? (() => new Date());
    this.readTimeoutMs = options.readTimeoutMs ?? 1_000;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.rewriteUnchangedAfterMs = options.rewriteUnchangedAfterMs ?? 60_000;
    this.storeCheckIntervalMs = options.storeCheckIntervalMs ?? 5_000;
    this.recent = new RecentSnapshots(options.memoryEntries ?? 10_000);
    this.alarm = rateLimitedAlarm(logger, 'snapshot-store', undefined, () => this.now().getTime());
    this.writer = new SnapshotWriter(options.store, {
      ...options.writer,
      onWritten: () => this.storeAnswered(),
      onWriteFailed: (error, lost) => {
        this.writesLost();
        this.storeFailed('snapshot store write failed; live answers are served, but not cached', error, { lost });
      },
      onDropped: () => this.writesLost(),
    });
  }

  /** Starts writing behind, checking on the store and sweeping; no timer keeps the process alive. */
  start(): this {
    this.writer.start();
    if (this.sweeper) return this;
    this.sweeper = setInterval(() => void this.sweep(), this.sweepIntervalMs);
    this.sweeper.unref();
    this.storeCheck = setInterval(() => this.checkStore(), Math.max(10, this.storeCheckIntervalMs / 4));
    this.storeCheck.unref();
    return this;
  }

  /**
   * What the subgraph's service runs with the cache (see BackendSubgraphSpec): the store's state
   * on /ready, and stopping the cache, with a last write, when the service closes.
   */
  serviceHooks(): { readinessDetail: () => Record<string, string>; onClose: () => Promise<void> } {
    return { readinessDetail: () => this.readiness(), onClose: () => this.stop() };
  }

  /** Stops the timers and writes what is still buffered. The store stays open (its owner closes it). */
  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.storeCheck) clearInterval(this.storeCheck);
    this.sweeper = null;
    this.storeCheck = null;
    await this.sweeping;
    await this.writer.stop();
  }

  /** The Fallback for one request; `report` hears of every answer served from a snapshot. */
  forRequest(report: CacheUseReport): Fallback {
    return requestFallback(this, report);
  }

  /** Writes what is buffered now (tests, shutdown). Never rejects. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Removes expired snapshots now; a failure raises the alarm. Never rejects. */
  async sweep(): Promise<void> {
    this.sweeping ??= this.store
      .sweep(this.now(), this.maxAge)
      .then(
        () => this.storeAnswered(),
        (error: unknown) => this.storeFailed('snapshot store sweep failed', error),
      )
      .finally(() => {
        this.sweeping = null;
      });
    await this.sweeping;
  }

  /** For /ready: `{ snapshots: "up" }`, or since when and why the store is down. Never makes the service unready. */
  readiness(): Record<string, string> {
    const { state } = this;
    return { snapshots: state.up ? 'up' : `down since ${state.since.toISOString()}: ${state.reason}` };
  }

  /** Write-behind counters (written, dropped, failed, buffered). */
  stats(): SnapshotWriterStats {
    return this.writer.stats();
  }

  remember(kind: string, entries: readonly { key: string; value: unknown }[]): void {
    const at = this.now();
    const rewriteAfterMs = Math.min(this.rewriteUnchangedAfterMs, maxAgeOf(this.maxAge, kind) / 10);
    const rewriteIfStoredBy = Math.max(at.getTime() - rewriteAfterMs, this.writesLostAt);
    for (const { key, value } of entries) {
      const snapshot = { kind, key, value, at };
      if (this.recent.answered(snapshotId(kind, key), value, at, rewriteIfStoredBy)) this.writer.record(snapshot);
      else this.unwritten = snapshot;
    }
  }

  async recall(kind: string, keys: readonly string[]): Promise<(StoredSnapshot | null)[]> {
    const oldest = this.now().getTime() - maxAgeOf(this.maxAge, kind);
    // Expired snapshots may still be kept until the next sweep; they are never served.
    const servable = (snapshot: StoredSnapshot | null) => (snapshot && snapshot.asOf.getTime() >= oldest ? snapshot : null);
    const found = keys.map((key) => servable(this.recent.get(snapshotId(kind, key))));
    const missing = keys.flatMap((key, index) => (found[index] === null ? [{ key, index }] : []));
    if (missing.length === 0) return found;
    const stored = await this.recallStored(kind, missing.map(({ key }) => key));
    missing.forEach(({ key, index }, i) => {
      const snapshot = servable(stored[i] ?? null);
      if (!snapshot) return;
      this.recent.put(snapshotId(kind, key), snapshot.value, snapshot.asOf);
      found[index] = snapshot;
    });
    return found;
  }

  /** Snapshots of `keys` from the store, null per key it has none of or cannot answer in time. */
  private async recallStored(kind: string, keys: readonly string[]): Promise<(StoredSnapshot | null)[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.readTimeoutMs} ms`)), this.readTimeoutMs);
    });
    try {
      const snapshots = await Promise.race([this.store.get(kind, keys), timeout]);
      this.storeAnswered();
      return snapshots;
    } catch (error) {
      this.storeFailed('snapshot store read failed; keys of a backend that is down cannot be served from cache', error, { kind });
      return keys.map(() => null);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * While answers go unwritten because the store has them, nothing would tell a store that went
   * down: once it has not been heard of for `storeCheckIntervalMs`, the newest such answer is
   * written after all (which also refreshes its date there).
   */
  private checkStore(): void {
    const unwritten = this.unwritten;
    if (unwritten === null || this.now().getTime() - this.storeHeardAt < this.storeCheckIntervalMs) return;
    this.unwritten = null;
    this.writer.record(unwritten);
  }

  /** Snapshots handed to the writer did not reach the store: the next answer of every key is written. */
  private writesLost(): void {
    this.writesLostAt = this.now().getTime();
  }

  private storeAnswered(): void {
    this.storeHeardAt = this.now().getTime();
    this.state = { up: true };
  }

  private storeFailed(message: string, error: unknown, details: Record<string, unknown> = {}): void {
    const reason = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
    if (this.state.up) this.state = { up: false, since: this.now(), reason };
    else this.state = { ...this.state, reason };
    this.alarm(message, error, details);
  }
}

/** A subgraph's fallback cache, started; null when it runs without one (`snapshots` unset). */
export function startFallbackCache(snapshots: SnapshotOptions | null | undefined, logger: Logger): FallbackCache | null {
  return snapshots ? new FallbackCache(snapshots, logger).start() : null;
}
