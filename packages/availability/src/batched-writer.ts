/** Options of a BatchedWriter. */
export interface BatchedWriterOptions {
  /** Waits this long after the first key is marked, so keys marked meanwhile go in the same write (0: next turn). */
  delayMs: number;
  /** Waits at least this long before trying again after a failed write. */
  retryMs: number;
  /** Writes the current state of these keys (the caller reads it at write time). */
  write(keys: string[]): Promise<void>;
  /** A write failed; its keys are written with the next one. */
  onError(error: unknown, keys: number): void;
}

/**
 * Writes the current state of keys marked dirty, in batches, by one writer at a time (FerretDB
 * answers concurrent writers of one document with "database is locked"; a later write must never
 * overtake an earlier one). A failed batch's keys are marked again and written with the next batch.
 */
export class BatchedWriter {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: BatchedWriterOptions) {}

  mark(keys: Iterable<string>): void {
    for (const key of keys) this.dirty.add(key);
    this.schedule(this.options.delayMs);
  }

  /** Stops scheduling; waits for the write under way, then writes what is still marked, once. */
  async flush(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
    await this.writeNow();
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.writing || this.stopped || this.dirty.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.writeNow().then((failed) => {
        this.writing = null;
        this.schedule(failed ? Math.max(this.options.delayMs, this.options.retryMs) : this.options.delayMs);
      });
    }, delayMs);
  }

  /** Writes what is marked; answers whether it failed (never throws). */
  private async writeNow(): Promise<boolean> {
    const keys = [...this.dirty];
    this.dirty.clear();
    if (keys.length === 0) return false;
    try {
      await this.options.write(keys);
      return false;
    } catch (error) {
      for (const key of keys) this.dirty.add(key);
      this.options.onError(error, keys.length);
      return true;
    }
  }
}
