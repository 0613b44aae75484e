/**
 * A channel API's request budget as its provider meters it (Shopify's leaky bucket): `burst`
 * requests at once, refilled at `perSecond`. Taking waits for room instead of being refused, and
 * a 429 from the channel empties the bucket until its Retry-After has passed.
 */
export class LeakyBucket {
  private level: number;
  private updatedAt: number;
  private pausedUntil = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.level = burst;
    this.updatedAt = clock();
  }

  /** Milliseconds until a request may go; 0 takes the slot now. */
  take(): number {
    const now = this.clock();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.level = Math.min(this.burst, this.level + ((now - this.updatedAt) * this.perSecond) / 1000);
    this.updatedAt = now;
    if (this.level >= 1) {
      this.level -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.level) * 1000) / this.perSecond);
  }

  /** The channel said 429: nothing goes before `ms` from now. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
    this.level = 0;
  }
}
