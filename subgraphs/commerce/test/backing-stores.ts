import { afterAll, beforeAll } from '@jest/globals';
import { startFerretDb, startRedis, type BackingService } from '@crossdock/testkit';
import { memoryStores, realStores, type CaptureStores } from './capture-harness';

/** A named way to get the three capture stores, for `describe.each`. */
export type StoreVariant = [name: string, open: () => Promise<CaptureStores>];

/**
 * Starts a real Redis and a real FerretDB for the calling test file (stopped after it) and
 * returns the two store variants every behaviour that matters is tested on: the all-in-one
 * memory substitutes and the real servers.
 */
export function useStoreVariants(): StoreVariant[] {
  let redis: BackingService | undefined;
  let ferret: BackingService | undefined;
  beforeAll(async () => {
    [redis, ferret] = await Promise.all([startRedis(), startFerretDb()]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), ferret?.stop()]);
  });
  return [
    ['memory stores', memoryStores],
    [
      'Redis and FerretDB',
      () => {
        if (!redis || !ferret) throw new Error('Redis and FerretDB are not started (use inside a test)');
        return realStores(redis.url, ferret.url);
      },
    ],
  ];
}
