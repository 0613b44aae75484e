import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MemorySnapshotStore, SnapshotWriter, type Snapshot } from '../src';

const T0 = new Date('2026-11-27T12:00:00.000Z');

function balance(value: number, at: Date): Snapshot {
  return { kind: 'erp.customer', key: 'C-1', value: { id: 'C-1', balance: String(value) }, at };
}

async function storedBalance(store: MemorySnapshotStore): Promise<unknown> {
  const [stored] = await store.get('erp.customer', ['C-1']);
  return stored?.value ?? null;
}

describe('SnapshotWriter', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('writes a key again no sooner than keyIntervalMs after its last write, and then its newest answer', async () => {
    const store = new MemorySnapshotStore();
    const puts: string[][] = [];
    const put = store.put.bind(store);
    store.put = async (snapshots) => {
      puts.push(snapshots.map((s) => `${s.key}=${(s.value as { balance: string }).balance}`));
      await put(snapshots);
    };
    const writer = new SnapshotWriter(store, { flushIntervalMs: 100, keyIntervalMs: 1_000 });
    writer.start();
    try {
      writer.record(balance(1, new Date()));
      await jest.advanceTimersByTimeAsync(100);
      expect(await storedBalance(store)).toEqual({ id: 'C-1', balance: '1' });

      // Changed twice within the interval: nothing written until it is over, then only the newest.
      writer.record(balance(2, new Date()));
      await jest.advanceTimersByTimeAsync(300);
      writer.record(balance(3, new Date()));
      await jest.advanceTimersByTimeAsync(400);
      expect(await storedBalance(store)).toEqual({ id: 'C-1', balance: '1' });
      expect(writer.stats().buffered).toBe(1);
      await jest.advanceTimersByTimeAsync(400);
      expect(await storedBalance(store)).toEqual({ id: 'C-1', balance: '3' });
      expect(puts).toEqual([['C-1=1'], ['C-1=3']]);

      // Other keys are not held back by it.
      writer.record({ kind: 'erp.customer', key: 'C-2', value: { id: 'C-2', balance: '7' }, at: new Date() });
      await jest.advanceTimersByTimeAsync(100);
      expect(puts.at(-1)).toEqual(['C-2=7']);
    } finally {
      await writer.stop();
    }
  });

  it('writes held keys at once on flush() and on stop()', async () => {
    const store = new MemorySnapshotStore();
    const writer = new SnapshotWriter(store, { flushIntervalMs: 100, keyIntervalMs: 60_000 });
    writer.start();
    writer.record(balance(1, new Date()));
    await jest.advanceTimersByTimeAsync(100);
    writer.record(balance(2, new Date()));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await storedBalance(store)).toEqual({ id: 'C-1', balance: '1' });
    await writer.flush();
    expect(await storedBalance(store)).toEqual({ id: 'C-1', balance: '2' });

    writer.record(balance(3, new Date()));
    await writer.stop();
    expect(await storedBalance(store)).toEqual({ id: 'C-1', balance: '3' });
    expect(writer.stats()).toEqual({ written: 3, dropped: 0, failed: 0, buffered: 0 });
  });

  it('keeps a held key held when a full batch triggers a write', async () => {
    const store = new MemorySnapshotStore();
    const writer = new SnapshotWriter(store, { flushIntervalMs: 100, batchSize: 2, keyIntervalMs: 60_000 });
    writer.start();
    try {
      writer.record(balance(1, new Date()));
      await jest.advanceTimersByTimeAsync(100);
      writer.record(balance(2, new Date()));
      // Two other keys fill a batch: they go at once, C-1 waits out its interval.
      writer.record({ kind: 'erp.customer', key: 'C-2', value: { id: 'C-2', balance: '7' }, at: new Date() });
      writer.record({ kind: 'erp.customer', key: 'C-3', value: { id: 'C-3', balance: '8' }, at: new Date() });
      await jest.advanceTimersByTimeAsync(0);
      expect((await store.get('erp.customer', ['C-2', 'C-3'])).map((s) => s?.value)).toEqual([
        { id: 'C-2', balance: '7' },
        { id: 'C-3', balance: '8' },
      ]);
      expect(await storedBalance(store)).toEqual({ id: 'C-1', balance: '1' });
      expect(writer.stats().buffered).toBe(1);
    } finally {
      await writer.stop();
    }
  });

  it('refuses a negative keyIntervalMs', () => {
    expect(() => new SnapshotWriter(new MemorySnapshotStore(), { keyIntervalMs: -1 })).toThrow('keyIntervalMs must be >= 0, got -1');
  });
});
