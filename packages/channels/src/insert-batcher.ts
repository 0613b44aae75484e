/** Writes a batch; answers per row whether it was new (true) or already there (false). */
export type BatchInsert<T> = (rows: readonly T[]) => Promise<boolean[]>;

/**
 * Group commit for inserts that arrive together: rows are collected while one batch is being
 * written and go out as the next batch, so under load each write carries many rows (FerretDB's
 * SQLite commits once per write) and when idle a row waits for nothing. Each caller gets its own
 * row's answer; a failed write fails every caller of that batch, and nothing is half-answered.
 */
export class InsertBatcher<T> {
  private queue: { row: T; resolve: (inserted: boolean) => void; reject: (error: unknown) => void }[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: BatchInsert<T>,
    private readonly maxBatch = 200,
  ) {}

  insert(row: T): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Resolves once every row handed in so far is written (or failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the rows of this tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const inserted = await this.write(batch.map((entry) => entry.row));
        batch.forEach((entry, i) => entry.resolve(inserted[i] ?? false));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.writing = null;
  }
}
