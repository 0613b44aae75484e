/**
 * At most `limit` tasks run at once; the others wait their turn in arrival order. Event
 * resolution goes through one gate per gateway, so a burst of events across many groups becomes
 * a bounded number of entity fetches in flight instead of one per group and event at once.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency limit must be a whole number ≥ 1, got ${limit}`);
  }

  /** Tasks started and not yet finished, and tasks waiting to start. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length - this.head };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Hands the slot straight to the next waiter (running stays the same), or frees it. */
  private release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      this.head += 1;
      if (this.head === this.waiting.length) {
        this.waiting.length = 0;
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next();
    } else {
      this.running -= 1;
    }
  }
}
