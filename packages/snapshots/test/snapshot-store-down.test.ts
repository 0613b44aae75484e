import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { startFerretDb, type BackingService } from '@crossdock/testkit';
import { FallbackCache, MongoSnapshotStore, snapshotKind, type SnapshotOptions } from '../src';
import { backendFailure, capturedLogger, newReport } from './fixtures';

const CUSTOMERS = snapshotKind<{ id: string } | null>('erp.customer');

let ferret: BackingService;
let databases = 0;
const open: MongoSnapshotStore[] = [];

beforeAll(async () => {
  ferret = await startFerretDb();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  await ferret?.stop();
});

function cacheOnFerretDb(options: Partial<SnapshotOptions> = {}) {
  // Short server selection: with the server dead, writes fail in well under a second.
  const store = MongoSnapshotStore.create(ferret.url, { dbName: `down_${process.pid}_${(databases += 1)}`, serverSelectionTimeoutMS: 300 });
  open.push(store);
  const { logger, entries } = capturedLogger();
  return { store, logs: entries, cache: new FallbackCache({ store, readTimeoutMs: 500, ...options }, logger) };
}

it('serves live answers with MongoDB dead, raises a rate-limited alarm, shows it on /ready, and recovers', async () => {
  const { cache, store, logs } = cacheOnFerretDb();
  await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1'], async () => [{ id: 'C-1' }]);
  await cache.flush();
  // Another replica's answer: in the store, but not in this process's memory.
  const replica = new FallbackCache({ store }, capturedLogger().logger);
  await replica.forRequest(newReport()).byKeys(CUSTOMERS, ['C-R'], async () => [{ id: 'C-R' }]);
  await replica.flush();
  expect(cache.readiness()).toEqual({ snapshots: 'up' });

  await ferret.kill();
  try {
    for (let i = 0; i < 3; i += 1) {
      expect(await cache.forRequest(newReport()).byKeys(CUSTOMERS, [`C-${i}`], async (keys) => keys.map((id) => ({ id })))).toEqual([{ id: `C-${i}` }]);
      await cache.flush();
    }
    expect(cache.readiness().snapshots).toMatch(/^down since \d{4}-\d\d-\d\dT[\d:.]+Z: snapshot store at 127\.0\.0\.1:\d+ failed \(put\)/);
    const alarms = logs.filter((entry) => entry.alarm === 'snapshot-store');
    // Three failed writes, one alarm line: the others are counted into the next one.
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ level: 50, msg: expect.stringContaining('snapshot store write failed') });
    expect(cache.stats()).toMatchObject({ failed: 3 });

    // Backend AND store down: what this process answered itself is served from its memory; a key
    // only the store knows cannot be read, so it fails like any other.
    const outage = backendFailure();
    expect(await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-1', 'C-R'], () => Promise.reject(outage))).toEqual([{ id: 'C-1' }, outage]);
  } finally {
    await ferret.restart();
  }

  await cache.forRequest(newReport()).byKeys(CUSTOMERS, ['C-7'], async () => [{ id: 'C-7' }]);
  await cache.flush();
  expect(cache.readiness()).toEqual({ snapshots: 'up' });
  const report = newReport();
  expect(await cache.forRequest(report).byKeys(CUSTOMERS, ['C-1', 'C-7'], () => Promise.reject(backendFailure()))).toEqual([{ id: 'C-1' }, { id: 'C-7' }]);
  expect(report.source()).not.toBeNull();
});

it('keeps the newest answers and counts the dropped ones while a write hangs on a dead server', async () => {
  const { cache, store } = cacheOnFerretDb({ writer: { batchSize: 10, maxBuffered: 20, flushIntervalMs: 3_600_000 } });
  const customers = (from: number, count: number) => Array.from({ length: count }, (_, i) => `C-${from + i}`);
  await ferret.kill();
  try {
    // The first ten fill a batch, whose write now waits for the dead server...
    await cache.forRequest(newReport()).byKeys(CUSTOMERS, customers(0, 10), async (keys) => keys.map((id) => ({ id })));
    // ...while forty more answers arrive: only the newest twenty can wait.
    await cache.forRequest(newReport()).byKeys(CUSTOMERS, customers(10, 40), async (keys) => keys.map((id) => ({ id })));
    expect(cache.stats()).toMatchObject({ dropped: 20, buffered: 20 });
    // The hanging write gives up on its own; what waits is written once the server is back.
    await waitFor(() => cache.stats().failed === 10);
    expect(cache.stats()).toMatchObject({ written: 0, buffered: 20 });
  } finally {
    await ferret.restart();
  }
  await cache.flush();
  expect(cache.stats()).toMatchObject({ written: 20, dropped: 20, failed: 10, buffered: 0 });
  const stored = await store.get('erp.customer', [...customers(10, 20), ...customers(30, 20)]);
  expect(stored.map((s) => s !== null)).toEqual([...Array<boolean>(20).fill(false), ...Array<boolean>(20).fill(true)]);
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

