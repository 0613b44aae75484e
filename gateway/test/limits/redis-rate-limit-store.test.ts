import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { createClient } from 'redis';
import { RateLimiter } from '../../src/limits/rate-limiter';
import type { RateLimitStore } from '../../src/limits/rate-limit-store';
import { RedisRateLimitStore } from '../../src/limits/redis-rate-limit-store';
import { describeRateLimitStoreContract } from './rate-limit-store-contract';

let redis: BackingService | undefined;
let prefixes = 0;

function redisUrl(): string {
  if (!redis) throw new Error('redis-server did not start');
  return redis.url;
}

/** Each test gets its own key prefix on the one redis-server, so tests never see each other. */
function open(): Promise<RedisRateLimitStore> {
  prefixes += 1;
  return RedisRateLimitStore.connect({ url: redisUrl(), keyPrefix: `test${prefixes}:`, onConnectionError: () => undefined });
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describeRateLimitStoreContract('redis', open);

describe('RedisRateLimitStore on a real redis-server', () => {
  it('keeps one expiring key per bucket and recovers when Redis forgot its script', async () => {
    const store = await open();
    const admin = createClient({ url: redisUrl() });
    await admin.connect();
    try {
      const rule = { requests: 2, windowMs: 60_000 };
      expect(await store.consume('portal:alice', rule, Date.now())).toEqual({ allowed: true });
      await admin.scriptFlush(); // as after a Redis restart or failover
      expect(await store.consume('portal:alice', rule, Date.now())).toEqual({ allowed: true });
      const keys = await admin.keys(`test${prefixes}:*`);
      expect(keys).toEqual([`test${prefixes}:ratelimit:portal:alice`]);
      const ttl = await admin.pTTL(keys[0] ?? '');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(rule.windowMs);
    } finally {
      await store.close();
      await admin.close();
    }
  });
});

describe('RateLimiter fails open', () => {
  const rule = { requests: 1, windowSeconds: 60 };

  it('lets requests through with an alarm while Redis is down, and limits again once it is back', async () => {
    const own = await startRedis();
    const store = await RedisRateLimitStore.connect({ url: own.url, onConnectionError: () => undefined });
    const alarm = jest.fn();
    const limiter = new RateLimiter({ store, alarm, timeoutMs: 500 });
    try {
      expect(await limiter.check('internal:ops', rule)).toEqual({ allowed: true });
      expect(await limiter.check('internal:ops', rule)).toMatchObject({ allowed: false });
      await own.kill();
      expect(await limiter.check('internal:ops', rule)).toEqual({ allowed: true });
      expect(alarm).toHaveBeenCalledWith(expect.stringMatching(/rate limiting is off/), expect.anything());
      await own.restart(); // empty again: Redis persists nothing in tests
      let decision = await limiter.check('internal:ops', rule);
      for (let attempt = 0; attempt < 100 && decision.allowed; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        decision = await limiter.check('internal:ops', rule);
      }
      expect(decision).toMatchObject({ allowed: false });
    } finally {
      await limiter.close();
      await own.stop();
    }
  });

  it('lets a request through when the store does not answer in time', async () => {
    const hanging: RateLimitStore = { consume: () => new Promise(() => undefined), close: async () => undefined };
    const alarm = jest.fn();
    const limiter = new RateLimiter({ store: hanging, alarm, timeoutMs: 20 });
    expect(await limiter.check('portal:alice', rule)).toEqual({ allowed: true });
    expect(alarm).toHaveBeenCalledTimes(1);
  });
});
