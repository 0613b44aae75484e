import { describe, expect, it } from '@jest/globals';
import { backoffDelayMs, decideRetry, validateOutboxPolicy } from '../src';

const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const now = new Date('2025-03-02T08:00:00.000Z');

describe('backoffDelayMs', () => {
  it('doubles the ceiling per failure and caps it at maxDelayMs', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 50, 5_000].map((failed) => backoffDelayMs(failed, policy, () => 1));
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000]);
  });

  it('waives a random part of at most half the ceiling, so retries spread but always pause', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(2_000);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(3_000);
    expect(backoffDelayMs(3, policy, () => 0.999_999)).toBe(4_000);
    for (let i = 0; i < 200; i += 1) {
      const delay = backoffDelayMs(4, policy);
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(8_000);
    }
  });

  it('treats a first attempt that has not failed yet like the first failure and clamps bad jitter', () => {
    expect(backoffDelayMs(0, policy, () => 1)).toBe(1_000);
    expect(backoffDelayMs(1, policy, () => 7)).toBe(1_000);
    expect(backoffDelayMs(1, policy, () => -3)).toBe(500);
  });
});

describe('decideRetry', () => {
  it('retries at now + backoff until maxAttempts, then gives up', () => {
    expect(decideRetry({ attempts: 1, permanent: false, policy, maxPermanentAttempts: 1, now, random: () => 0 })).toEqual({
      giveUp: false,
      nextAttemptAt: new Date(now.getTime() + 500),
    });
    expect(decideRetry({ attempts: 4, permanent: false, policy, maxPermanentAttempts: 1, now }).giveUp).toBe(false);
    expect(decideRetry({ attempts: 5, permanent: false, policy, maxPermanentAttempts: 1, now }).giveUp).toBe(true);
  });

  it('gives up on permanent errors after maxPermanentAttempts, never later than maxAttempts', () => {
    expect(decideRetry({ attempts: 1, permanent: true, policy, maxPermanentAttempts: 1, now }).giveUp).toBe(true);
    expect(decideRetry({ attempts: 1, permanent: true, policy, maxPermanentAttempts: 2, now }).giveUp).toBe(false);
    expect(decideRetry({ attempts: 5, permanent: true, policy, maxPermanentAttempts: 99, now }).giveUp).toBe(true);
  });
});

describe('validateOutboxPolicy', () => {
  it('names the bad value', () => {
    expect(validateOutboxPolicy(policy)).toBe(policy);
    expect(() => validateOutboxPolicy({ ...policy, maxAttempts: 0 })).toThrow('maxAttempts must be an integer >= 1, got 0');
    expect(() => validateOutboxPolicy({ ...policy, baseDelayMs: -1 })).toThrow('baseDelayMs must be > 0');
    expect(() => validateOutboxPolicy({ ...policy, maxDelayMs: 10 })).toThrow('maxDelayMs must be >= baseDelayMs (1000), got 10');
  });
});
