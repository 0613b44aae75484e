import type { Alarm } from '@crossdock/service';
import type { RateLimitRule } from './limits-policy';
import type { RateLimitDecision, RateLimitStore } from './rate-limit-store';

/**
 * Long enough for a healthy Redis on a busy host, short enough that a hung connection (no reset,
 * e.g. a network partition) costs each request little until node-redis notices.
 */
export const DEFAULT_RATE_LIMIT_TIMEOUT_MS = 500;

export interface RateLimiterOptions {
  store: RateLimitStore;
  /** Raised when the store fails and requests pass unlimited. */
  alarm: Alarm;
  /** How long a check may wait for the store before the request passes. */
  timeoutMs: number;
  now?: () => number;
}

/**
 * Per-subject rate limits over a RateLimitStore. It fails OPEN: when Redis is down or slow the
 * request passes and an alarm is logged (at most every 30 s), because refusing every read while
 * Redis is away would turn a lost rate limit into a lost hub (reads must keep working).
 */
export class RateLimiter {
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    this.timeoutMs = options.timeoutMs;
    this.now = options.now ?? Date.now;
  }

  /** Counts one request of `key` (e.g. class and subject) against `rule`. */
  async check(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const consumed = this.options.store.consume(key, { requests: rule.requests, windowMs: rule.windowSeconds * 1_000 }, this.now());
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const decision = await Promise.race([consumed, timedOut]);
      if (decision !== 'timeout') return decision;
      consumed.catch(() => undefined); // answered too late to matter
      this.options.alarm('rate limiting is off: the rate-limit store did not answer in time; requests pass unlimited', null, { timeoutMs: this.timeoutMs });
    } catch (error) {
      this.options.alarm('rate limiting is off: the rate-limit store failed; requests pass unlimited', error);
    } finally {
      clearTimeout(timer);
    }
    return { allowed: true };
  }

  close(): Promise<void> {
    return this.options.store.close();
  }
}
