import { snapshotId } from './memory-snapshot-store';
import type { Snapshot, SnapshotStore } from './ports';

/** How snapshots are written behind the request path. */
export interface SnapshotWriterOptions {
  /** Write what waits at least this often (default 250 ms). */
  flushIntervalMs?: number;
  /** Write as soon as this many snapshots wait; also the most one write carries (default 200). */
  batchSize?: number;
  /**
   * A key written less than this long ago (default 5 000 ms) is not written again before this
   * long after that write: its newest answer waits, replacing whatever it had waiting, and goes
   * with the first flush after. A value that changes with almost every request (a customer's
   * balance while orders come in) is then written a few times a minute instead of at every flush;
   * the store's copy of a key is at most this much (plus a flush interval) behind the newest
   * answer. 0: every flush writes every key. flush() and stop() write everything regardless.
   */
  keyIntervalMs?: number;
  /**
   * At most this many snapshots wait (default 10 000). While the store is slow or down, the
   * oldest are dropped (and counted): the newest answers are the ones worth keeping.
   */
  maxBuffered?: number;
  /** A write failed; its snapshots are lost (the next answers bring fresh ones). */
  onWriteFailed?: (error: unknown, lost: number) => void;
  /** Snapshots were dropped unwritten because the buffer was full. */
  onDropped?: (count: number) => void;
  /** A write succeeded. */
  onWritten?: (count: number) => void;
}

/** What the writer did since it started. */
export interface SnapshotWriterStats {
  written: number;
  /** Dropped unwritten because the buffer was full. */
  dropped: number;
  /** Lost in writes that failed. */
  failed: number;
  buffered: number;
}

/**
 * Buffers snapshots and writes them in batches, one write at a time, off the request path: a
 * request only ever adds to a Map. Recording the same (kind, key) again before it was written
 * keeps only the newer answer; so does recording a key again soon after it was written (see
 * `keyIntervalMs`).
 */
export class SnapshotWriter {
  /** Due: written at the next flush. */
  private readonly buffer = new Map<string, Snapshot>();
  /** Keys written less than keyIntervalMs ago, with their newest answer since. */
  private readonly held = new Map<string, Snapshot>();
  /** When each key was last written (epoch ms), oldest write first; only writes within keyIntervalMs are kept. */
  private readonly writtenAt = new Map<string, number>();
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  private readonly keyIntervalMs: number;
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly counts = { written: 0, dropped: 0, failed: 0 };

  constructor(
    private readonly store: SnapshotStore,
    private readonly options: SnapshotWriterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.batchSize = options.batchSize ?? 200;
    this.maxBuffered = Math.max(options.maxBuffered ?? 10_000, this.batchSize);
    this.keyIntervalMs = options.keyIntervalMs ?? 5_000;
    if (!Number.isFinite(this.keyIntervalMs) || this.keyIntervalMs < 0) throw new RangeError(`keyIntervalMs must be >= 0, got ${this.keyIntervalMs}`);
  }

  /** Queues a snapshot; never waits and never throws. */
  record(snapshot: Snapshot): void {
    const id = snapshotId(snapshot.kind, snapshot.key);
    // Deleting first moves a re-recorded key to the newest end, so the oldest are dropped first.
    this.buffer.delete(id);
    this.held.delete(id);
    (this.writtenRecently(id, Date.now()) ? this.held : this.buffer).set(id, snapshot);
    let dropped = 0;
    while (this.buffer.size + this.held.size > this.maxBuffered) {
      const oldest = this.buffer.size > 0 ? this.buffer.keys().next() : this.held.keys().next();
      if (oldest.done) break;
      this.buffer.delete(oldest.value);
      this.held.delete(oldest.value);
      dropped += 1;
    }
    if (dropped > 0) {
      this.counts.dropped += dropped;
      this.options.onDropped?.(dropped);
    }
    if (this.buffer.size >= this.batchSize && this.writing === null) void this.flushDue();
  }

  /** Starts the flush timer; it does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flushDue(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is still buffered (a failure is reported, not thrown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes everything buffered now, held keys too, in batches; resolves when done. Never rejects. */
  async flush(): Promise<void> {
    this.release(Number.POSITIVE_INFINITY);
    await this.flushDue();
  }

  stats(): SnapshotWriterStats {
    return { ...this.counts, buffered: this.buffer.size + this.held.size };
  }

  /** Writes what is due: the buffer, and held keys whose interval is over. */
  private async flushDue(): Promise<void> {
    while (this.writing) await this.writing;
    this.release(Date.now());
    if (this.buffer.size === 0) return;
    this.writing = this.writeAll().finally(() => {
      this.writing = null;
    });
    await this.writing;
  }

  /** Moves the held keys whose last write is keyIntervalMs before `now` (all, for Infinity) to the buffer. */
  private release(now: number): void {
    for (const [id, at] of this.writtenAt) {
      if (now - at < this.keyIntervalMs) break;
      this.writtenAt.delete(id);
    }
    for (const [id, snapshot] of this.held) {
      if (this.writtenRecently(id, now)) continue;
      this.held.delete(id);
      this.buffer.set(id, snapshot);
    }
  }

  private writtenRecently(id: string, now: number): boolean {
    const at = this.writtenAt.get(id);
    return at !== undefined && now - at < this.keyIntervalMs;
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.size > 0) {
      const snapshots: Snapshot[] = [];
      for (const [id, snapshot] of this.buffer) {
        if (snapshots.length === this.batchSize) break;
        snapshots.push(snapshot);
        this.buffer.delete(id);
      }
      try {
        await this.store.put(snapshots);
        if (this.keyIntervalMs > 0) {
          const at = Date.now();
          for (const snapshot of snapshots) {
            const id = snapshotId(snapshot.kind, snapshot.key);
            this.writtenAt.delete(id);
            this.writtenAt.set(id, at);
          }
        }
        this.counts.written += snapshots.length;
        this.options.onWritten?.(snapshots.length);
      } catch (error) {
        this.counts.failed += snapshots.length;
        this.options.onWriteFailed?.(error, snapshots.length);
        // The store is failing: leave the rest for the next tick rather than hammer it now.
        return;
      }
    }
  }
}
