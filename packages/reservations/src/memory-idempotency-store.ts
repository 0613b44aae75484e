import { validateDuration, validateIdempotencyKey } from './idempotency-validation';
import type { IdempotencyBegin, IdempotencyStore } from './ports';

type Entry = { state: 'claimed'; expiresAt: number } | { state: 'done'; result: string; expiresAt: number };

/** Options of the in-process idempotency store. */
export interface MemoryIdempotencyStoreOptions {
  /** Epoch ms; tests pass a fake clock to move leases and TTLs without waiting. */
  clock?: () => number;
  /** How often at most expired keys are swept out of memory (default 60 s). */
  sweepIntervalMs?: number;
}

/**
 * The in-process IdempotencyStore for all-in-one mode. Expiry is by timestamp: an expired entry
 * counts as absent when read, and the map is swept now and then on use, so it needs no timer
 * that would keep the process alive.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: () => number;
  private readonly sweepIntervalMs: number;
  private lastSweep: number;

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.lastSweep = this.clock();
  }

  async begin(key: string, leaseMs: number): Promise<IdempotencyBegin> {
    validateIdempotencyKey(key);
    validateDuration(leaseMs, 'leaseMs');
    const now = this.sweep();
    const entry = this.live(key, now);
    if (!entry) {
      this.entries.set(key, { state: 'claimed', expiresAt: now + leaseMs });
      return { state: 'started' };
    }
    return entry.state === 'claimed' ? { state: 'in-progress' } : { state: 'done', result: entry.result };
  }

  async finish(key: string, result: string, ttlMs: number): Promise<void> {
    validateIdempotencyKey(key);
    validateDuration(ttlMs, 'ttlMs');
    // Stored even when the lease ran out: the work was done, so its answer must be kept.
    this.entries.set(key, { state: 'done', result, expiresAt: this.sweep() + ttlMs });
  }

  async abandon(key: string): Promise<void> {
    validateIdempotencyKey(key);
    if (this.live(key, this.sweep())?.state === 'claimed') this.entries.delete(key);
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  /** Returns the time now, dropping expired entries at most once per sweep interval. */
  private sweep(): number {
    const now = this.clock();
    if (now - this.lastSweep >= this.sweepIntervalMs) {
      for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
      this.lastSweep = now;
    }
    return now;
  }
}
