import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RateLimitStore } from '../../src/limits/rate-limit-store';

/** A fixed epoch: the suite drives time itself, so both adapters see the very same clock. */
const T0 = 1_790_000_000_000;
/** Three per minute: one request every 20 s once a burst of three is spent. Long windows keep
 * Redis's real-time key expiry far away from the suite's simulated clock. */
const RULE = { requests: 3, windowMs: 60_000 };
const INTERVAL = RULE.windowMs / RULE.requests;

/** The one contract every RateLimitStore adapter passes; `open` gives each test a fresh, empty store. */
export function describeRateLimitStoreContract(name: string, open: () => Promise<RateLimitStore>): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    let opened: RateLimitStore | undefined;
    const store = (): RateLimitStore => {
      if (!opened) throw new Error('no store: open() failed');
      return opened;
    };
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened?.close();
      opened = undefined;
    });

    const burst = async (key: string, count: number, now: number) => {
      const decisions = [];
      for (let i = 0; i < count; i += 1) decisions.push(await store().consume(key, RULE, now));
      return decisions;
    };

    it('lets a burst of `requests` through, then refuses with the time until the next one fits', async () => {
      expect(await burst('a', 3, T0)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
      const refused = await store().consume('a', RULE, T0);
      expect(refused.allowed).toBe(false);
      expect(refused.allowed === false && refused.retryAfterMs).toBeCloseTo(INTERVAL, 0);
      const later = await store().consume('a', RULE, T0 + 5_000);
      expect(later.allowed === false && later.retryAfterMs).toBeCloseTo(INTERVAL - 5_000, 0);
    });

    it('lets exactly one more through once the retry time has passed, however often it was refused', async () => {
      await burst('a', 3, T0);
      expect((await burst('a', 10, T0 + 1)).every((d) => !d.allowed)).toBe(true);
      expect(await store().consume('a', RULE, T0 + INTERVAL - 1)).toMatchObject({ allowed: false });
      expect(await store().consume('a', RULE, T0 + INTERVAL)).toEqual({ allowed: true });
      expect(await store().consume('a', RULE, T0 + INTERVAL)).toMatchObject({ allowed: false });
    });

    it('gives the whole burst back after a quiet window', async () => {
      await burst('a', 3, T0);
      expect(await burst('a', 3, T0 + RULE.windowMs)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
      expect(await store().consume('a', RULE, T0 + RULE.windowMs)).toMatchObject({ allowed: false });
    });

    it('holds a hammering client to the sustained rate: the burst, then one request per interval', async () => {
      const allowedAt: number[] = [];
      for (let now = T0; now < T0 + 3 * RULE.windowMs; now += 1_000) {
        if ((await store().consume('a', RULE, now)).allowed) allowedAt.push(now);
      }
      expect(allowedAt.slice(0, 3)).toEqual([T0, T0 + 1_000, T0 + 2_000]);
      const afterBurst = allowedAt.slice(3);
      expect(afterBurst).toEqual(Array.from({ length: 8 }, (_, i) => T0 + (i + 1) * INTERVAL));
    });

    it('keeps keys apart', async () => {
      await burst('portal:alice', 3, T0);
      expect(await store().consume('portal:bob', RULE, T0)).toEqual({ allowed: true });
      expect(await store().consume('portal:alice', RULE, T0)).toMatchObject({ allowed: false });
    });

    it('counts racing requests atomically: exactly `requests` of them pass', async () => {
      const decisions = await Promise.all(Array.from({ length: 20 }, () => store().consume('race', RULE, T0)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(RULE.requests);
    });

    it('lets through a rate finer than an epoch-ms clock resolves, rather than failing', async () => {
      // 60_000 / 1e9 = 0.00006 ms per request: T0 plus that is T0 again in a double.
      const rule = { requests: 1_000_000_000, windowMs: 60_000 };
      const decisions = [];
      for (let i = 0; i < 3; i += 1) decisions.push(await store().consume('fine', rule, T0));
      expect(decisions).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    });

    it('handles windows that do not divide evenly into requests', async () => {
      const rule = { requests: 3, windowMs: 1_000 };
      for (let i = 0; i < 3; i += 1) expect(await store().consume('odd', rule, T0)).toEqual({ allowed: true });
      expect(await store().consume('odd', rule, T0)).toMatchObject({ allowed: false });
      expect(await store().consume('odd', rule, T0 + 334)).toEqual({ allowed: true });
    });
  });
}
