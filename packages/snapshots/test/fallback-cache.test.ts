import { describe, expect, it } from '@jest/globals';
import { FallbackCache, listCacheKey, MemorySnapshotStore, snapshotKind, type SnapshotOptions } from '../src';
import { backendFailure, capturedLogger, manualClock, MINUTE, newReport, T0 } from './fixtures';

interface Customer {
  id: string;
  name: string;
}
const CUSTOMERS = snapshotKind<Customer | null>('erp.customer');
const POSITIONS = snapshotKind<{ sku: string; onHand: number }[]>('wms.positions');
const PRODUCT_PAGES = snapshotKind<{ items: string[]; nextCursor: string | null }>('erp.product-page');

const acme: Customer = { id: 'C-1', name: 'Acme' };
const globex: Customer = { id: 'C-2', name: 'Globex' };

function setup(options: Partial<SnapshotOptions> = {}) {
  const clock = manualClock();
  const store = new MemorySnapshotStore();
  const { logger, entries } = capturedLogger();
  const cache = new FallbackCache({ store, now: clock.now, ...options }, logger);
  return { clock, store, cache, logs: entries };
}

describe('FallbackCache', () => {
  it('passes live answers through and writes them behind the request, not during it', async () => {
    const { cache, store } = setup();
    const report = newReport();
    const answers = await cache.forRequest(report).byKeys(CUSTOMERS, ['C-1', 'C-9'], async () => [acme, null]);
    expect(answers).toEqual([acme, null]);
    expect(await store.get('erp.customer', ['C-1'])).toEqual([null]);
    await cache.flush();
    expect(await store.get('erp.customer', ['C-1', 'C-9'])).toEqual([
      { value: acme, asOf: T0 },
      { value: null, asOf: T0 },
    ]);
    expect(report.source()).toBeNull();
    expect(cache.stats()).toMatchObject({ written: 2, dropped: 0, failed: 0, buffered: 0 });
  });

  it('serves each cached key from its snapshot while the backend is down, and fails only the others', async () => {
    const { cache, clock } = setup();
    await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [acme]);
    clock.advance(5 * MINUTE);
    await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-2'], async () => [globex]);
    await cache.flush();
    clock.advance(MINUTE);

    const outage = backendFailure('reset');
    const report = newReport();
    const answers = await cache.forRequest(report).byKeys(CUSTOMERS, ['C-2', 'C-404', 'C-1'], () => Promise.reject(outage));
    expect(answers).toEqual([globex, outage, acme]);
    expect(answers[1]).toBe(outage);
    // The oldest snapshot served is what the answer is as of.
    expect(report.source()).toEqual({ subgraph: 'erp', servedFrom: 'cache', asOf: T0.toISOString() });
  });

  it('treats an open circuit and a timeout like a reset, but never serves the cache for a refused request', async () => {
    const { cache } = setup();
    await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [acme]);
    await cache.flush();
    for (const kind of ['circuit-open', 'timeout', 'server-error'] as const) {
      expect(await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], () => Promise.reject(backendFailure(kind)))).toEqual([acme]);
    }
    const refused = backendFailure('client-error');
    const report = newReport();
    await expect(cache.forRequest(report).byKeys(CUSTOMERS, ['C-1'], () => Promise.reject(refused))).rejects.toBe(refused);
    await expect(cache.forRequest(report).list(PRODUCT_PAGES, 'p', () => Promise.reject(refused))).rejects.toBe(refused);
    expect(report.source()).toBeNull();
  });

  it('serves a whole list from its snapshot, by cache key, and rethrows the outage for a list never cached', async () => {
    const { cache } = setup();
    const key = listCacheKey({ first: 2, after: null });
    const page = { items: ['SKU-1', 'SKU-2'], nextCursor: 'c2' };
    expect(await cache.forRequest(newReport()).list(PRODUCT_PAGES, key, async () => page)).toEqual(page);
    await cache.flush();

    const outage = backendFailure('unavailable');
    const report = newReport();
    expect(await cache.forRequest(report).list(PRODUCT_PAGES, listCacheKey({ after: null, first: 2 }), () => Promise.reject(outage))).toEqual(page);
    expect(report.source()?.asOf).toBe(T0.toISOString());
    await expect(cache.forRequest(newReport()).list(PRODUCT_PAGES, listCacheKey({ first: 3, after: null }), () => Promise.reject(outage))).rejects.toBe(outage);
  });

  it('never serves a snapshot older than its kind\'s maximum age, and sweeps it away', async () => {
    const { cache, clock, store } = setup({ maxAge: { defaultMs: 60 * MINUTE, byKind: { 'wms.positions': 10 * MINUTE } } });
    await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [acme]);
    await cache.forRequest(newReport()).byKeys(POSITIONS, ['SKU-1'], async () => [[{ sku: 'SKU-1', onHand: 4 }]]);
    await cache.flush();
    const outage = backendFailure();

    clock.advance(10 * MINUTE);
    expect(await cache.forRequest(newReport()).byKeys(POSITIONS, ['SKU-1'], () => Promise.reject(outage))).toEqual([[{ sku: 'SKU-1', onHand: 4 }]]);
    clock.advance(1);
    const report = newReport();
    expect(await cache.forRequest(report).byKeys(POSITIONS, ['SKU-1'], () => Promise.reject(outage))).toEqual([outage]);
    expect(report.source()).toBeNull();
    // Customers keep the default hour.
    expect(await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], () => Promise.reject(outage))).toEqual([acme]);

    await cache.sweep();
    expect(await store.get('wms.positions', ['SKU-1'])).toEqual([null]);
    expect(await store.get('erp.customer', ['C-1'])).toEqual([{ value: acme, asOf: T0 }]);
  });

  it('writes on its own once started: every flush interval, or as soon as a batch is full', async () => {
    const { cache, store } = setup({ writer: { flushIntervalMs: 20, batchSize: 1_000 } });
    cache.start();
    try {
      await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [acme]);
      await waitFor(async () => (await store.get('erp.customer', ['C-1']))[0] !== null);
    } finally {
      await cache.stop();
    }
    const { cache: batching, store: batchStore } = setup({ writer: { flushIntervalMs: 3_600_000, batchSize: 3 } });
    batching.start();
    try {
      await batching.forRequest(newReport()).byKeys(CUSTOMERS, ['A', 'B', 'C'], async () => [acme, acme, acme]);
      await waitFor(async () => (await batchStore.get('erp.customer', ['C']))[0] !== null);
    } finally {
      await batching.stop();
    }
  });

  it('serves the keys it answered itself from memory, reading the store only for the others', async () => {
    const { cache, store, clock } = setup({ memoryEntries: 2, maxAge: { defaultMs: 10 * MINUTE, byKind: {} } });
    const reads: string[][] = [];
    const get = store.get.bind(store);
    store.get = async (kind, keys) => {
      reads.push([...keys]);
      return get(kind, keys);
    };
    // Another replica (or this process before a restart) left C-9 in the store only.
    await store.put([{ kind: 'erp.customer', key: 'C-9', value: { id: 'C-9', name: 'Initech' }, at: T0 }]);
    const live = await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1', 'C-2'], async () => [acme, globex]);
    const outage = backendFailure();
    const report = newReport();
    const answers = await cache.forRequest(report).byKeys(CUSTOMERS, ['C-1', 'C-9', 'C-2'], () => Promise.reject(outage));
    expect(answers).toEqual([acme, { id: 'C-9', name: 'Initech' }, globex]);
    // A copy, never the object another request was answered with.
    expect(answers[0]).not.toBe(live[0]);
    expect(reads).toEqual([['C-9']]);
    expect(report.source()?.asOf).toBe(T0.toISOString());
    // Bounded: the key answered longest ago (C-1) gave way to C-9; expired ones are never served.
    await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], () => Promise.reject(outage));
    expect(reads).toEqual([['C-9'], ['C-1']]);
    clock.advance(10 * MINUTE + 1);
    expect(await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-2'], () => Promise.reject(outage))).toEqual([outage]);
  });

  it('writes an unchanged answer again only after a while, a changed one at once, and serves the newest date from memory', async () => {
    const { cache, store, clock } = setup();
    const written = countWrites(store);
    const answer = (value: Customer) => cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [value]);
    await answer(acme);
    await cache.flush();
    clock.advance(10_000);
    await answer({ ...acme });
    await cache.flush();
    expect(written).toEqual([['C-1']]);
    // The store keeps the first date; this process knows the answer held 10 s later.
    expect(await store.get('erp.customer', ['C-1'])).toEqual([{ value: acme, asOf: T0 }]);
    const report = newReport();
    await cache.forRequest(report).byKeys(CUSTOMERS, ['C-1'], () => Promise.reject(backendFailure()));
    expect(report.source()?.asOf).toBe(new Date(T0.getTime() + 10_000).toISOString());

    const renamed = { id: 'C-1', name: 'Acme Corporation' };
    await answer(renamed);
    await cache.flush();
    expect(await store.get('erp.customer', ['C-1'])).toEqual([{ value: renamed, asOf: new Date(T0.getTime() + 10_000) }]);
    // A minute after the last write the unchanged answer is written again, so it never expires in the store.
    clock.advance(MINUTE);
    await answer(renamed);
    await cache.flush();
    expect(written).toEqual([['C-1'], ['C-1'], ['C-1']]);
    expect(await store.get('erp.customer', ['C-1'])).toEqual([{ value: renamed, asOf: new Date(T0.getTime() + 70_000) }]);
  });

  it('rewrites unchanged answers within a tenth of their kind\'s maximum age', async () => {
    const { cache, store, clock } = setup({ maxAge: { defaultMs: 24 * 60 * MINUTE, byKind: { 'wms.positions': 5 * MINUTE } } });
    const written = countWrites(store);
    const positions = [{ sku: 'SKU-1', onHand: 4 }];
    for (let second = 0; second <= 30; second += 10) {
      await cache.forRequest(newReport()).byKeys(POSITIONS, ['SKU-1'], async () => [positions]);
      await cache.flush();
      clock.advance(10_000);
    }
    // Written at 0 s and again at 30 s (a tenth of 5 minutes), not at 10 s or 20 s.
    expect(written).toEqual([['SKU-1'], ['SKU-1']]);
  });

  it('writes every answer again after snapshots failed to reach the store', async () => {
    const { cache, store, clock } = setup();
    const put = store.put.bind(store);
    let failNext = true;
    store.put = async (snapshots) => {
      if (failNext) {
        failNext = false;
        throw new Error('store unreachable');
      }
      return put(snapshots);
    };
    await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [acme]);
    await cache.flush();
    expect(cache.stats()).toMatchObject({ written: 0, failed: 1 });
    clock.advance(1_000);
    await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [acme]);
    await cache.flush();
    expect(await store.get('erp.customer', ['C-1'])).toEqual([{ value: acme, asOf: new Date(T0.getTime() + 1_000) }]);
  });

  it('still writes an unchanged answer now and then, so that a store gone down is noticed', async () => {
    const { cache, store, clock, logs } = setup({ storeCheckIntervalMs: 1_000, writer: { flushIntervalMs: 10 } });
    const written = countWrites(store);
    cache.start();
    try {
      await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [acme]);
      await waitFor(async () => written.length === 1);
      await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [acme]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The store was heard of less than a second ago (by the manual clock): nothing to check yet.
      expect(written).toHaveLength(1);
      store.put = () => Promise.reject(new Error('store unreachable'));
      clock.advance(1_000);
      await waitFor(async () => cache.readiness().snapshots !== 'up');
      expect(logs).toEqual([expect.objectContaining({ alarm: 'snapshot-store', msg: expect.stringContaining('snapshot store write failed') })]);
    } finally {
      await cache.stop();
    }
  });

  it('writes every answer when it keeps none in memory', async () => {
    const { cache, store } = setup({ memoryEntries: 0 });
    const written = countWrites(store);
    for (let i = 0; i < 3; i += 1) {
      await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [acme]);
      await cache.flush();
    }
    expect(written).toEqual([['C-1'], ['C-1'], ['C-1']]);
  });

  it('makes list cache keys independent of field order', () => {
    expect(listCacheKey({ query: { status: ['SHIPPED'], customerId: 'C-1' }, page: { first: 5, after: null } })).toBe(
      listCacheKey({ page: { after: null, first: 5 }, query: { customerId: 'C-1', status: ['SHIPPED'] } }),
    );
    expect(listCacheKey({ status: ['A', 'B'] })).not.toBe(listCacheKey({ status: ['B', 'A'] }));
  });
});

/** The keys of every batch the store is asked to write from now on. */
function countWrites(store: MemorySnapshotStore): string[][] {
  const written: string[][] = [];
  const put = store.put.bind(store);
  store.put = async (snapshots) => {
    written.push(snapshots.map((snapshot) => snapshot.key));
    return put(snapshots);
  };
  return written;
}

/** Polls until `check` holds (bounded), for work that happens on a timer. */
async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
