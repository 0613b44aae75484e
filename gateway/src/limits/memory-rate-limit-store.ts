import { gcra, type RateLimitDecision, type RateLimitStore, type RateLimitWindow } from './rate-limit-store';

/** Buckets are swept after this many calls, so subjects that never come back don't pile up. */
const SWEEP_EVERY = 1_000;

/**
 * The all-in-one substitute for Redis: one process, one map of bucket times. Same algorithm and
 * same contract suite as the Redis adapter; nothing survives a restart.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, number>();
  private calls = 0;

  async consume(key: string, window: RateLimitWindow, nowMs: number): Promise<RateLimitDecision> {
    if (++this.calls % SWEEP_EVERY === 0) this.sweep(nowMs);
    const stored = this.buckets.get(key);
    const verdict = gcra(stored ?? null, window, nowMs);
    if ('retryAfterMs' in verdict) return { allowed: false, retryAfterMs: verdict.retryAfterMs };
    this.buckets.set(key, verdict.tat);
    return { allowed: true };
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }

  /** A bucket whose TAT has passed is full again: the same as no bucket (Redis lets it expire). */
  private sweep(nowMs: number): void {
    for (const [key, tat] of this.buckets) if (tat <= nowMs) this.buckets.delete(key);
  }
}
