/**
 * Removes things (by id) a fixed time after they were handed over, not at once: MongoOrderStore
 * keeps each committed revision record for a while so that a writer who read the revision before
 * it stays shut out of it without re-reading the order (see the store's class comment). One timer
 * for all, unref'd; a removal that fails, or that stop() leaves waiting, leaves the thing behind,
 * which its owner must tolerate.
 */
export class DelayedRemovals {
  /** In hand-over order, so due times only grow. */
  private readonly waiting: { id: string; dueAt: number }[] = [];
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private failed = 0;
  private stopped = false;

  constructor(
    private readonly delayMs: number,
    /** Removes one; may reject (the thing stays). */
    private readonly remove: (id: string) => Promise<unknown>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Removes `id` once `delayMs` have passed. */
  add(id: string): void {
    if (this.stopped) return;
    this.waiting.push({ id, dueAt: this.now() + this.delayMs });
    this.arm();
  }

  /** Handed over and not yet removed (or being removed). */
  get pending(): number {
    return this.waiting.length + this.running.size;
  }

  /** Removals that failed since the start (each thing stays behind). */
  get failures(): number {
    return this.failed;
  }

  /**
   * Stops: nothing more is removed, and removals under way are waited for, at most `maxWaitMs` (a
   * server gone down must not hold a shutdown). What is still waiting for its delay stays
   * behind: its delay is a promise to others that it will be there that long.
   */
  async stop(maxWaitMs: number): Promise<void> {
    this.stopped = true;
    this.disarm();
    this.waiting.length = 0;
    let timer: NodeJS.Timeout | undefined;
    const givingUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
      timer.unref();
    });
    try {
      await Promise.race([Promise.all([...this.running]), givingUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  private arm(): void {
    const first = this.waiting[0];
    if (this.timer !== null || first === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.removeDue();
    }, Math.max(0, first.dueAt - this.now()));
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private removeDue(): void {
    const now = this.now();
    let due = 0;
    while (due < this.waiting.length && (this.waiting[due]?.dueAt ?? Infinity) <= now) due += 1;
    this.start(this.waiting.splice(0, due));
    this.arm();
  }

  private start(entries: readonly { id: string }[]): void {
    for (const { id } of entries) {
      const removal: Promise<void> = this.remove(id).then(
        () => undefined,
        () => {
          this.failed += 1;
        },
      );
      this.running.add(removal);
      void removal.finally(() => this.running.delete(removal));
    }
  }
}
