/** How many callers ran their own work and how many were handed another caller's. */
export interface CoalescingCounts {
  leaders: number;
  followers: number;
}

/**
 * Runs the work of identical concurrent calls once. The first caller with a key (the leader)
 * runs it; callers with the same key arriving before it settles (followers) get the same
 * outcome: the same value, or the same rejection. Once settled the key is forgotten, so nothing
 * is cached: a caller arriving later runs the work again. Has no dependency, so it could be used
 * (or offered upstream) on its own.
 */
export class InflightCoalescer<T> {
  private readonly inflight = new Map<string, Promise<T>>();
  private readonly counted: CoalescingCounts = { leaders: 0, followers: 0 };

  /** Keys whose work is running now. */
  get size(): number {
    return this.inflight.size;
  }

  get counts(): CoalescingCounts {
    return { ...this.counted };
  }

  /** `work`'s outcome, shared with every caller that asks for `key` while it runs. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) {
      this.counted.followers++;
      return running;
    }
    this.counted.leaders++;
    const started = this.start(work);
    this.inflight.set(key, started);
    const forget = (): void => {
      if (this.inflight.get(key) === started) this.inflight.delete(key);
    };
    started.then(forget, forget);
    return started;
  }

  /** The work as a promise, also when it throws before returning one. */
  private async start(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
