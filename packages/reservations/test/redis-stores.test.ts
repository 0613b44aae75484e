import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { createClient } from 'redis';
import { decodeReservationExpired, RedisIdempotencyStore, RedisReservationStore } from '../src';
import { describeIdempotencyStoreContract } from './contract/idempotency-store-contract';
import { describeReservationStoreContract } from './contract/reservation-store-contract';
import { T0, level, lines, request, seed } from './contract/stock-fixtures';

let redis: BackingService | undefined;
let prefixes = 0;

function redisUrl(): string {
  if (!redis) throw new Error('redis-server did not start');
  return redis.url;
}

/** Each test gets its own key prefix on the one redis-server, so tests never see each other. */
function freshPrefix(): string {
  prefixes += 1;
  return `test${prefixes}:`;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describeReservationStoreContract('redis', async () => {
  const store = await RedisReservationStore.connect({ url: redisUrl(), keyPrefix: freshPrefix() });
  const reader = createClient({ url: redisUrl() });
  await reader.connect();
  // The stream as the event bus reads it: one entry per event, its JSON in the `payload` field.
  const expiries = async () => (await reader.xRange(store.expiryStream, '-', '+')).map((entry) => decodeReservationExpired(entry.message.payload ?? ''));
  return { store, close: async () => (await store.close(), await reader.close()), expiries };
});
describeIdempotencyStoreContract('redis', async () => {
  const store = await RedisIdempotencyStore.connect({ url: redisUrl(), keyPrefix: freshPrefix() });
  return { store, close: () => store.close() };
});

describe('RedisReservationStore on a real redis-server', () => {
  it('lays out keys under its prefix and recovers when Redis forgot its scripts', async () => {
    const prefix = freshPrefix();
    const store = await RedisReservationStore.connect({ url: redisUrl(), keyPrefix: prefix });
    const admin = createClient({ url: redisUrl() });
    await admin.connect();
    try {
      await seed(store, [level('A', 'W1', 10)]);
      // As after a Redis restart or failover: the next call must reload, not fail the order.
      await admin.scriptFlush();
      expect(await store.reserve(request('o1', lines(['A', 3])), T0)).toMatchObject({ status: 'reserved' });
      expect((await admin.keys(`${prefix}*`)).sort()).toEqual([`${prefix}reservation:o1`, `${prefix}reservations:pending`, `${prefix}stock:A`]);
      expect(await admin.hGetAll(`${prefix}stock:A`)).toMatchObject({ 'onHand:W1': '10', 'reserved:W1': '0', 'safety:W1': '0', 'pending:W1': '3' });
      expect(await admin.zScore(`${prefix}reservations:pending`, 'o1')).toBe(T0 + 60_000);
    } finally {
      await store.close();
      await admin.close();
    }
  });

  it('keeps two prefixes on one Redis apart', async () => {
    const a = await RedisReservationStore.connect({ url: redisUrl(), keyPrefix: freshPrefix() });
    const b = await RedisReservationStore.connect({ url: redisUrl(), keyPrefix: freshPrefix() });
    try {
      await seed(a, [level('A', 'W1', 10)]);
      expect(await b.readStock(['A'])).toEqual(new Map());
    } finally {
      await a.close();
      await b.close();
    }
  });
});
