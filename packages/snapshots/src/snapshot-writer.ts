import { snapshotId } from './memory-snapshot-store';
import type { Snapshot, SnapshotStore } from './ports';

/** How snapshots are written behind the request path. */
export interface SnapshotWriterOptions {
  /** Write what waits at least this often (default 250 ms). */
  flushIntervalMs?: number;
  /** Write as soon as this many snapshots wait; also the most one write carries (default 200). */
  batchSize?: number;
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
 * keeps only the newer answer.
 */
export class SnapshotWriter {
  private readonly buffer = new Map<string, Snapshot>();
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
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
  }

  /** Queues a snapshot; never waits and never throws. */
  record(snapshot: Snapshot): void {
    const id = snapshotId(snapshot.kind, snapshot.key);
    // Deleting first moves a re-recorded key to the newest end, so the oldest are dropped first.
    this.buffer.delete(id);
    this.buffer.set(id, snapshot);
    let dropped = 0;
    while (this.buffer.size > this.maxBuffered) {
      const oldest = this.buffer.keys().next();
      if (oldest.done) break;
      this.buffer.delete(oldest.value);
      dropped += 1;
    }
    if (dropped > 0) {
      this.counts.dropped += dropped;
      this.options.onDropped?.(dropped);
    }
    if (this.buffer.size >= this.batchSize && this.writing === null) void this.flush();
  }

  /** Starts the flush timer; it does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is still buffered (a failure is reported, not thrown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes everything buffered now, in batches; resolves when done. Never rejects. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.buffer.size === 0) return;
    this.writing = this.writeAll().finally(() => {
      this.writing = null;
    });
    await this.writing;
  }

  stats(): SnapshotWriterStats {
    return { ...this.counts, buffered: this.buffer.size };
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
