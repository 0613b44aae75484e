import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { MemoryLeaseStore, RedisLeaseStore, type LeaseStore } from '../src';

let redis: BackingService | undefined;
let keys = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/**
 * The one contract both lease stores pass (DESIGN.md: the in-process substitute never drifts
 * from Redis): two stores stand for two replicas on the same lease.
 */
function describeLeaseContract(name: string, open: () => Promise<{ first: LeaseStore; second: LeaseStore; close(): Promise<void> }>): void {
  describe(`LeaseStore contract: ${name}`, () => {
    let stores: Awaited<ReturnType<typeof open>> | undefined;
    let key = '';
    const both = () => {
      if (!stores) throw new Error('no stores');
      return stores;
    };
    beforeEach(async () => {
      keys += 1;
      key = `lease-test:${keys}`;
      stores = await open();
    });
    afterEach(async () => {
      await stores?.close();
    });

    it('lets one owner hold the lease; the other cannot take, renew or release it', async () => {
      const { first, second } = both();
      expect(await first.acquire(key, 'a', 5000)).toBe(true);
      expect(await second.acquire(key, 'b', 5000)).toBe(false);
      expect(await first.acquire(key, 'a', 5000)).toBe(false);
      expect(await second.renew(key, 'b', 5000)).toBe(false);
      expect(await second.release(key, 'b')).toBe(false);
      expect(await first.renew(key, 'a', 5000)).toBe(true);
      expect(await second.acquire(key, 'b', 5000)).toBe(false);
    });

    it('passes to another owner once released', async () => {
      const { first, second } = both();
      expect(await first.acquire(key, 'a', 5000)).toBe(true);
      expect(await first.release(key, 'a')).toBe(true);
      expect(await first.release(key, 'a')).toBe(false);
      expect(await first.renew(key, 'a', 5000)).toBe(false);
      expect(await second.acquire(key, 'b', 5000)).toBe(true);
    });

    it('runs out unless renewed, and a renewal keeps it', async () => {
      const { first, second } = both();
      expect(await first.acquire(key, 'a', 300)).toBe(true);
      await sleep(200);
      expect(await first.renew(key, 'a', 300)).toBe(true);
      await sleep(200);
      // 400 ms after it was taken, still held thanks to the renewal.
      expect(await second.acquire(key, 'b', 300)).toBe(false);
      await sleep(400);
      expect(await first.renew(key, 'a', 300)).toBe(false);
      expect(await second.acquire(key, 'b', 300)).toBe(true);
    });

    it('refuses a lease that would never run out', async () => {
      const { first } = both();
      await expect(first.acquire(key, 'a', 0)).rejects.toThrow(RangeError);
      await expect(first.renew(key, 'a', 1.5)).rejects.toThrow(RangeError);
    });
  });
}

describeLeaseContract('redis', async () => {
  if (!redis) throw new Error('redis-server did not start');
  const [first, second] = await Promise.all([RedisLeaseStore.connect({ url: redis.url }), RedisLeaseStore.connect({ url: redis.url })]);
  return { first, second, close: async () => (await first.close(), await second.close()) };
});

// All-in-one is one process: its "replicas" share the one in-process store.
describeLeaseContract('memory', async () => {
  const store = new MemoryLeaseStore();
  return { first: store, second: store, close: () => store.close() };
});
