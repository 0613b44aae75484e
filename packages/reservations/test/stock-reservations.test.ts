import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { MemoryReservationStore, RedisReservationStore, StockNotLoadedError, StockReservations, type ReservationStore, type StockLevel, type StockReservationsOptions } from '../src';
import { T0, level, lines, type StoreFixture } from './contract/stock-fixtures';

let redis: BackingService | undefined;
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const adapters: [string, () => Promise<StoreFixture<ReservationStore>>][] = [
  ['memory', async () => ({ store: new MemoryReservationStore(), close: async () => undefined })],
  [
    'redis',
    async () => {
      if (!redis) throw new Error('redis-server did not start');
      prefixes += 1;
      const store = await RedisReservationStore.connect({ url: redis.url, keyPrefix: `svc${prefixes}:` });
      return { store, close: () => store.close() };
    },
  ],
];

/** A fake WMS: its levels can change, it can fail, and it counts every call. */
class FakeWms {
  calls: string[][] = [];
  levels: StockLevel[] = [];
  failure: Error | null = null;
  /** Runs inside a call, while the hub waits for the answer. */
  during: (() => Promise<void>) | null = null;

  readonly loadStock = async (skus: readonly string[]): Promise<StockLevel[]> => {
    this.calls.push([...skus]);
    await this.during?.();
    if (this.failure) throw this.failure;
    return this.levels.filter((l) => skus.includes(l.sku));
  };
}

describe.each(adapters)('StockReservations over the %s store', (_name, factory) => {
  let fixture: StoreFixture<ReservationStore>;
  let wms: FakeWms;
  let now: number;
  let stale: { skus: string[]; error: unknown }[];
  const service = (overrides: Partial<StockReservationsOptions> = {}) =>
    new StockReservations({
      store: fixture.store,
      loadStock: wms.loadStock,
      rule: 'single-warehouse-first',
      holdMs: 60_000,
      clock: () => now,
      onStaleStock: (event) => stale.push(event),
      ...overrides,
    });

  beforeEach(async () => {
    fixture = await factory();
    wms = new FakeWms();
    wms.levels = [level('A', 'W1', 10), level('B', 'W1', 5), level('B', 'W2', 5)];
    now = T0;
    stale = [];
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('loads missing SKUs from the WMS in one call, then reserves', async () => {
    const stock = service();
    expect(await stock.reserve('o1', lines(['A', 2], ['B', 6], ['A', 1]), ['W1', 'W2'])).toMatchObject({ status: 'reserved', split: true });
    expect(wms.calls).toEqual([['A', 'B']]);
  });

  it('does not ask the WMS again while the ledger is fresh, and asks once it is older than maxStockAgeMs', async () => {
    const stock = service({ maxStockAgeMs: 5000 });
    await stock.reserve('o1', lines(['A', 1]), ['W1']);
    now += 5000;
    await stock.reserve('o2', lines(['A', 1], ['B', 1]), ['W1']);
    expect(wms.calls).toEqual([['A'], ['B']]);
    now += 1;
    wms.levels = [level('A', 'W1', 3)];
    // The fresh WMS figure (3 on hand) minus the hub's 2 pending leaves 1.
    expect(await stock.reserve('o3', lines(['A', 2]), ['W1'])).toEqual({ status: 'insufficient', shortages: [{ lineNumber: 1, sku: 'A', requested: 2, available: 1 }] });
    expect(wms.calls).toEqual([['A'], ['B'], ['A']]);
  });

  it('reserves against a fresh ledger in one store call, without reading the ledger first', async () => {
    const calls: string[] = [];
    const counted = new Proxy(fixture.store, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const stock = service({ store: counted, maxStockAgeMs: 5000 });
    await stock.reserve('o1', lines(['A', 1]), ['W1']);
    // Missing from the ledger: answered stale, loaded from the WMS, reserved.
    expect(calls).toEqual(['reserve', 'writeStock', 'reserve']);
    calls.length = 0;
    now += 5000;
    await stock.reserve('o2', lines(['A', 1]), ['W1']);
    expect(calls).toEqual(['reserve']);
    expect(wms.calls).toEqual([['A']]);
  });

  it('treats a SKU the WMS does not know as known with no stock', async () => {
    const stock = service();
    expect(await stock.reserve('o1', lines(['GHOST', 1]), ['W1'])).toEqual({ status: 'insufficient', shortages: [{ lineNumber: 1, sku: 'GHOST', requested: 1, available: 0 }] });
    expect(await stock.reserve('o2', lines(['GHOST', 1]), ['W1'])).toMatchObject({ status: 'insufficient' });
    expect(wms.calls).toEqual([['GHOST']]);
  });

  it('falls back to the ledger when the WMS blips, and says so', async () => {
    const stock = service();
    await stock.reserve('o1', lines(['A', 4]), ['W1']);
    now += 60_000;
    wms.failure = new Error('WMS reset');
    expect(await stock.reserve('o2', lines(['A', 6]), ['W1'])).toMatchObject({ status: 'reserved' });
    expect(await stock.reserve('o3', lines(['A', 1]), ['W1'])).toMatchObject({ status: 'insufficient' });
    expect(stale).toEqual([
      { skus: ['A'], error: wms.failure },
      { skus: ['A'], error: wms.failure },
    ]);
  });

  it('throws StockNotLoadedError when the WMS is down and the ledger never had the SKU', async () => {
    const stock = service();
    await stock.reserve('o1', lines(['A', 1]), ['W1']);
    wms.failure = new Error('WMS down');
    const attempt = stock.reserve('o2', lines(['A', 1], ['B', 1]), ['W1']);
    await expect(attempt).rejects.toBeInstanceOf(StockNotLoadedError);
    await expect(stock.reserve('o2', lines(['A', 1], ['B', 1]), ['W1'])).rejects.toMatchObject({ skus: ['B'], cause: wms.failure });
    expect(await fixture.store.get('o2')).toBeNull();
    expect((await stock.pendingBySku(['A'])).get('A')?.get('W1')).toBe(1);
  });

  it('does not overwrite the ledger with a WMS answer a reservation raced, and reserves against the ledger', async () => {
    const stock = service();
    await stock.reserve('o0', lines(['A', 1]), ['W1']);
    await stock.release('o0');
    now += 60_000;
    // While the hub waits for the WMS, another replica reserves 4 of A through the shared store.
    wms.during = async () => {
      wms.during = null;
      await fixture.store.reserve({ orderId: 'other', lines: lines(['A', 4]), warehouses: ['W1'], rule: 'single-warehouse-first', holdMs: 60_000 }, now);
    };
    wms.levels = [level('A', 'W1', 100)];
    expect(await stock.reserve('o1', lines(['A', 7]), ['W1'])).toEqual({ status: 'insufficient', shortages: [{ lineNumber: 1, sku: 'A', requested: 7, available: 6 }] });
    expect((await fixture.store.readStock(['A'])).get('A')?.levels).toEqual([level('A', 'W1', 10)]);
    expect(wms.calls).toHaveLength(2);
  });

  it('asks the WMS once when many orders for the same stale SKU arrive together', async () => {
    const stock = service();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stock.reserve(`o${i}`, lines(['A', 1]), ['W1'])));
    expect(results.filter((r) => r.status === 'reserved')).toHaveLength(10);
    expect(wms.calls).toEqual([['A']]);
  });

  it('confirms, releases and reports pending through the store', async () => {
    const stock = service();
    await stock.reserve('o1', lines(['B', 3]), ['W2']);
    expect(await stock.pendingBySku(['B'])).toEqual(new Map([['B', new Map([['W2', 3]])]]));
    expect(await stock.confirm('o1')).toBe(true);
    expect(await stock.pendingBySku(['B'])).toEqual(new Map());
    expect(await stock.release('o1')).toMatchObject({ orderId: 'o1', state: 'confirmed' });
  });

  it('sweeps expired reservations on an interval and reports them', async () => {
    const expired: string[][] = [];
    let reported: () => void = () => undefined;
    const sawExpiry = new Promise<void>((resolve) => (reported = resolve));
    const stock = service({ holdMs: 1000, expiryBatchSize: 2, onExpired: (ids) => (expired.push(ids), reported()) });
    for (const id of ['o1', 'o2', 'o3']) await stock.reserve(id, lines(['A', 1]), ['W1']);
    now += 1001;
    const stop = stock.startExpirySweeper(5);
    await sawExpiry;
    await stop();
    expect(expired.flat().sort()).toEqual(['o1', 'o2', 'o3']);
    expect(await stock.pendingBySku(['A'])).toEqual(new Map());
  });
});
