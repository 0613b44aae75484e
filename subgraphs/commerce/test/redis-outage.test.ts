import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryExceptionStore } from '@crossdock/exceptions';
import { MemoryOrderStore } from '@crossdock/orders';
import { RedisIdempotencyStore, RedisReservationStore } from '@crossdock/reservations';
import { errorCodes, startFerretDb, startRedis, type BackingService } from '@crossdock/testkit';
import { eventually, newKey, placeAccepted, placeOrder, sellableSku, wmsStock, type OrderInput } from './capture-fixtures';
import { realStores, startCaptureHarness, type CaptureHarness, type CaptureStores } from './capture-harness';

const READ_ORDERS = /* GraphQL */ `
  query Read($id: ID!) {
    order(id: $id) { id status lines { sku quantity } }
    orders(first: 2) { edges { node { id } } }
  }
`;

/** placeOrder until it is accepted again (the Redis client reconnects on its own after a restart). */
async function acceptedOnceRedisIsBack(h: CaptureHarness, input: OrderInput): Promise<string> {
  return eventually(async () => (await placeOrder(h, input)).payload?.order?.id ?? null, 30_000);
}

describe("placeOrder with the hub's Redis killed", () => {
  let redis: BackingService;
  let ferret: BackingService;
  let h: CaptureHarness;
  beforeAll(async () => {
    [redis, ferret] = await Promise.all([startRedis(), startFerretDb()]);
    // The clients' reconnect errors while Redis is dead are expected here.
    h = await startCaptureHarness({ stores: () => realStores(redis.url, ferret.url, () => undefined) });
  });
  afterAll(async () => {
    await h.close();
    await Promise.all([redis.stop(), ferret.stop()]);
  });

  it('refuses with TEMPORARILY_UNAVAILABLE and changes nothing; reads keep working; orders work again after a restart', async () => {
    const sku = sellableSku(70);
    const earlier = await placeAccepted(h, { lines: [{ sku, quantity: 1 }] });
    const stockBefore = await wmsStock(h, sku);
    const input = { idempotencyKey: newKey(), lines: [{ sku, quantity: 2 }] };
    await redis.kill();
    try {
      const refused = await placeOrder(h, input);
      expect(refused.payload).toBeNull();
      expect(errorCodes(refused.errors)).toEqual([{ code: 'TEMPORARILY_UNAVAILABLE', path: ['placeOrder'] }]);
      expect(refused.errors[0]?.message).toMatch(/Redis\) is unavailable; the order was not placed and nothing was reserved/);
      expect(await h.stores.orderStore.getByIdempotencyKey(`web:${input.idempotencyKey}`)).toBeNull();
      expect(await wmsStock(h, sku)).toEqual(stockBefore);

      const read = await h.run<{ order: { id: string; status: string } | null; orders: { edges: unknown[] } }>(READ_ORDERS, { id: earlier.id });
      expect(read.errors).toBeUndefined();
      expect(read.data?.order).toMatchObject({ id: earlier.id, status: 'ACCEPTED' });
      expect(read.data?.orders.edges).toHaveLength(2);
    } finally {
      await redis.restart();
    }
    const id = await acceptedOnceRedisIsBack(h, input);
    expect((await placeOrder(h, input)).payload?.order?.id).toBe(id);
    expect((await wmsStock(h, sku)).reserved).toBe(stockBefore.reserved + 2);
  });
});

describe('placeOrder with only the reservation Redis killed', () => {
  let keysRedis: BackingService;
  let stockRedis: BackingService;
  let h: CaptureHarness;
  beforeAll(async () => {
    [keysRedis, stockRedis] = await Promise.all([startRedis(), startRedis()]);
    const stores = async (): Promise<CaptureStores> => {
      const idempotencyStore = await RedisIdempotencyStore.connect({ url: keysRedis.url, onConnectionError: () => undefined });
      const reservationStore = await RedisReservationStore.connect({ url: stockRedis.url, onConnectionError: () => undefined });
      return {
        idempotencyStore,
        reservationStore,
        orderStore: new MemoryOrderStore(),
        exceptionStore: new MemoryExceptionStore(),
        close: async () => {
          await Promise.all([idempotencyStore.close(), reservationStore.close()]);
        },
      };
    };
    h = await startCaptureHarness({ stores });
  });
  afterAll(async () => {
    await h.close();
    await Promise.all([keysRedis.stop(), stockRedis.stop()]);
  });

  it('refuses the whole order instead of reserving elsewhere, and frees its idempotency key for the retry', async () => {
    const sku = sellableSku(71);
    await placeAccepted(h, { lines: [{ sku, quantity: 1 }] });
    const input = { idempotencyKey: newKey(), lines: [{ sku, quantity: 3 }] };
    await stockRedis.kill();
    try {
      const refused = await placeOrder(h, input);
      expect(errorCodes(refused.errors)).toEqual([{ code: 'TEMPORARILY_UNAVAILABLE', path: ['placeOrder'] }]);
      expect(refused.errors[0]?.extensions?.backend).toBe('reservation-store');
      expect(refused.errors[0]?.message).toMatch(/stock cannot be reserved safely; the order was not placed/);
      expect(await h.stores.orderStore.getByIdempotencyKey(`web:${input.idempotencyKey}`)).toBeNull();
    } finally {
      await stockRedis.restart();
    }
    // The key was given up, not left "in progress": the same key places the order now.
    const id = await acceptedOnceRedisIsBack(h, input);
    expect((await h.stores.orderStore.getByIdempotencyKey(`web:${input.idempotencyKey}`))?.id).toBe(id);
  });
});
