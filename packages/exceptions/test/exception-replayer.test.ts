import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExceptionReplayer, MemoryExceptionStore, type ExceptionStore, type HubException, type ReplayHandler } from '../src';
import { postingReport, type OpenExceptionStore } from './fixtures';
import { useFerretDb } from './mongo-fixture';

// One FerretDB for the file; the memory variant simply does not use it.
const { open: openFerret } = useFerretDb();
const variants: [string, OpenExceptionStore][] = [
  [
    'memory',
    async () => {
      const store = new MemoryExceptionStore();
      return { store, replica: async () => store };
    },
  ],
  ['FerretDB', openFerret],
];

describe.each(variants)('ExceptionReplayer over the %s store', (_name, openStore) => {
  let store: ExceptionStore;
  let replica: () => Promise<ExceptionStore>;
  const closeAfter: ExceptionStore[] = [];
  /** Handled items, as the outbox would see them: one entry per replay that reached the handler. */
  let handled: string[];
  const requeue: ReplayHandler = async (exception) => {
    handled.push(exception.subject);
    await sleep(5); // like a store round trip, so concurrent replays really overlap
    return { replayed: true, note: `requeued ${exception.subject}` };
  };
  const replayer = (overrides: Partial<ConstructorParameters<typeof ExceptionReplayer>[0]> = {}) =>
    new ExceptionReplayer({ store, handlers: { 'erp-posting': requeue }, ...overrides });
  const record = async (overrides: Parameters<typeof postingReport>[0] = {}): Promise<HubException> => (await store.record(postingReport(overrides))).exception;

  beforeEach(async () => {
    ({ store, replica } = await openStore());
    closeAfter.push(store);
    handled = [];
  });
  afterEach(async () => {
    await Promise.all(closeAfter.splice(0).map((s) => s.close()));
  });

  it('replays through the handler of its kind once; replaying again does nothing', async () => {
    const exception = await record({ subject: 'ORD-HR1' });
    const [first] = await replayer().replay([exception.id], 'alice');
    expect(first).toMatchObject({ id: exception.id, outcome: 'REPLAYED', message: 'requeued ORD-HR1', exception: { state: 'replayed', resolution: { by: 'alice', note: 'requeued ORD-HR1' } } });
    const [again] = await replayer().replay([exception.id], 'bob');
    expect(again).toMatchObject({ outcome: 'ALREADY_REPLAYED', exception: { resolution: { by: 'alice' } } });
    expect(handled).toEqual(['ORD-HR1']);
  });

  it('replays once when two operators on two replicas replay the same exceptions at once', async () => {
    const exceptions = await Promise.all([record(), record(), record()]);
    const ids = exceptions.map((e) => e.id);
    const other = await replica();
    closeAfter.push(other);
    const [a, b] = await Promise.all([replayer().replay(ids, 'alice'), replayer({ store: other }).replay([...ids].reverse(), 'bob')]);
    for (const id of ids) {
      const outcomes = [...a, ...b].filter((r) => r.id === id).map((r) => r.outcome).sort();
      expect(['ALREADY_REPLAYED', 'IN_PROGRESS']).toContain(outcomes[0]);
      expect(outcomes[1]).toBe('REPLAYED');
    }
    expect([...handled].sort()).toEqual(exceptions.map((e) => e.subject).sort());
  });

  it('answers each id on its own: unknown, no handler, discarded, refused by the handler, handler failing', async () => {
    const edi = await record({ kind: 'malformed-edi', subject: 'ISA-1' });
    const discarded = await record();
    await replayer().discard(discarded.id, 'duplicate of ORD-1', 'carol');
    const refused = await record({ kind: 'wms-posting' });
    const failing = await record({ kind: 'commerce-posting' });
    const onError = jest.fn();
    const results = await replayer({
      handlers: {
        'wms-posting': async () => ({ replayed: false, reason: 'order is not in the order store' }),
        'commerce-posting': async () => {
          throw new Error('order store unavailable');
        },
      },
      onError,
    }).replay(['EXC-missing', edi.id, discarded.id, refused.id, failing.id, refused.id], 'alice');
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ['EXC-missing', 'NOT_FOUND'],
      [edi.id, 'NOT_REPLAYABLE'],
      [discarded.id, 'DISCARDED'],
      [refused.id, 'NOT_REPLAYABLE'],
      [failing.id, 'FAILED'],
    ]);
    expect(results[3]?.message).toBe('order is not in the order store');
    expect(results[4]?.message).toMatch(/stays open.*order store unavailable/);
    expect(onError).toHaveBeenCalledTimes(1);
    // Both stay open and claimable: the next replay can succeed.
    expect((await store.get([refused.id, failing.id])).map((e) => [e?.state, e?.replayClaim])).toEqual([['open', null], ['open', null]]);
  });

  it('discards with a reason; discarding again answers the same; a replayed one is not discarded', async () => {
    const exception = await record();
    expect(await replayer().discard(exception.id, '   ', 'carol')).toMatchObject({ discarded: false, code: 'INVALID_REASON' });
    expect(await replayer().discard(exception.id, ' customer cancelled ', 'carol')).toMatchObject({ discarded: true, exception: { state: 'discarded', resolution: { by: 'carol', note: 'customer cancelled' } } });
    expect(await replayer().discard(exception.id, 'again', 'dave')).toMatchObject({ discarded: true, exception: { resolution: { by: 'carol' } } });
    const replayed = await record();
    await replayer().replay([replayed.id], 'alice');
    expect(await replayer().discard(replayed.id, 'too late', 'carol')).toMatchObject({ discarded: false, code: 'ALREADY_REPLAYED' });
    expect(await replayer().discard('EXC-missing', 'x', 'carol')).toMatchObject({ discarded: false, code: 'NOT_FOUND' });
  });
});
