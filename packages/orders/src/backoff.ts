import type { OutboxPolicy } from './ports';

/** Throws a RangeError naming the first bad value of a retry policy; call once at start. */
export function validateOutboxPolicy(policy: OutboxPolicy): OutboxPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`outbox policy: maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  if (!Number.isFinite(policy.baseDelayMs) || policy.baseDelayMs <= 0) {
    throw new RangeError(`outbox policy: baseDelayMs must be > 0, got ${policy.baseDelayMs}`);
  }
  if (!Number.isFinite(policy.maxDelayMs) || policy.maxDelayMs < policy.baseDelayMs) {
    throw new RangeError(`outbox policy: maxDelayMs must be >= baseDelayMs (${policy.baseDelayMs}), got ${policy.maxDelayMs}`);
  }
  return policy;
}

/**
 * How long to wait after the `failedAttempts`-th failure (1 for the first): the ceiling
 * baseDelayMs * 2^(failedAttempts - 1), capped at maxDelayMs, of which a random half is waived.
 * The jitter keeps the postings queued during one outage from all retrying in the same instant
 * when the backend comes back; keeping half guarantees a real pause after every failure.
 *
 * @param random a number in [0, 1), Math.random by default (injectable for tests)
 * @returns whole milliseconds in [ceiling / 2, ceiling], never above maxDelayMs
 */
export function backoffDelayMs(failedAttempts: number, policy: OutboxPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2 ** exponent becomes Infinity after ~1000 failures; Math.min still caps that at maxDelayMs.
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const jitter = Math.min(Math.max(random(), 0), 1);
  return Math.min(policy.maxDelayMs, Math.round(ceiling / 2 + (ceiling / 2) * jitter));
}

/** What to do with a posting whose attempt just failed. */
export interface RetryDecision {
  /** FAILED: no more automatic attempts (an operator may replay it). */
  giveUp: boolean;
  /** When the next attempt is due (also recorded when giving up, as the would-be time). */
  nextAttemptAt: Date;
}

/** Inputs of decideRetry. */
export interface FailedAttempt {
  /** Attempts made so far, including the one that just failed. */
  attempts: number;
  /** The backend refused in a way that will not change on retry (e.g. a 4xx validation error). */
  permanent: boolean;
  policy: OutboxPolicy;
  /** Attempts allowed for permanent errors (at most policy.maxAttempts). */
  maxPermanentAttempts: number;
  now: Date;
  random?: () => number;
}

/** The retry policy as a pure function: give up after the allowed attempts, else back off. */
export function decideRetry(failed: FailedAttempt): RetryDecision {
  const allowed = failed.permanent ? Math.min(failed.maxPermanentAttempts, failed.policy.maxAttempts) : failed.policy.maxAttempts;
  const delay = backoffDelayMs(failed.attempts, failed.policy, failed.random);
  return { giveUp: failed.attempts >= allowed, nextAttemptAt: new Date(failed.now.getTime() + delay) };
}
