import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFerretDb, type BackingService } from '@crossdock/testkit';
import { MemoryPushStore, MongoPushStore, type AckRecord, type FigureRecord, type PushStore } from '../src';

let ferret: BackingService | undefined;
let databases = 0;

beforeAll(async () => {
  ferret = await startFerretDb();
});
afterAll(async () => {
  await ferret?.stop();
});

const at = (ms: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, 0) + ms);
const figure = (channel: string, sku: string, seq: number, quantity: number): FigureRecord => ({ channel, sku, seq, locations: { '*': quantity }, changedAt: at(seq), computedAt: at(seq) });
const ack = (channel: string, sku: string, seq: number, quantity: number): AckRecord => ({ channel, sku, locations: { '*': { quantity, seq, at: at(seq) } } });

/** The one contract MongoPushStore and the all-in-one's MemoryPushStore pass. */
function describePushStoreContract(name: string, open: () => Promise<PushStore>): void {
  describe(`PushStore contract: ${name}`, () => {
    let store: PushStore | undefined;
    const current = () => {
      if (!store) throw new Error('no store');
      return store;
    };
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store?.close();
    });

    it('folds figures and acknowledgements by sequence number, per channel, whatever order they were written in', async () => {
      const s = current();
      await s.saveFigures([figure('web', 'A', 2, 5), figure('marketplace', 'A', 1, 9)]);
      await s.saveFigures([figure('web', 'A', 1, 7), figure('web', 'B', 3, 1)]);
      await s.saveAcks([ack('web', 'A', 2, 5)]);
      await s.saveAcks([ack('web', 'A', 1, 7)]);
      const web = await s.loadChannel('web');
      expect(web.figures.sort((x, y) => x.sku.localeCompare(y.sku))).toEqual([figure('web', 'A', 2, 5), figure('web', 'B', 3, 1)]);
      expect(web.acks).toEqual([ack('web', 'A', 2, 5)]);
      expect((await s.loadChannel('marketplace')).figures).toEqual([figure('marketplace', 'A', 1, 9)]);
      expect(await s.loadChannel('edi')).toEqual({ figures: [], acks: [] });
    });

    it('keeps the same state through compaction', async () => {
      const s = current();
      for (let seq = 1; seq <= 4; seq += 1) await s.saveFigures([figure('web', 'A', seq, seq * 10)]);
      await s.saveAcks([ack('web', 'A', 3, 30)]);
      const before = await s.loadChannel('web');
      expect(await s.compact()).toBe(5);
      expect(await s.loadChannel('web')).toEqual(before);
      await s.saveFigures([figure('web', 'A', 5, 50)]);
      expect((await s.loadChannel('web')).figures).toEqual([figure('web', 'A', 5, 50)]);
    });

    it('keeps one resync checkpoint per channel, and callers cannot change what it stored', async () => {
      const s = current();
      expect(await s.checkpoint('web')).toBeNull();
      const checkpoint = { channel: 'web', runId: 'r1', skus: ['A', 'B'], next: 0, startedAt: at(0), finishedAt: null, requestedBy: 'scheduled' };
      await s.saveCheckpoint(checkpoint);
      checkpoint.skus.push('C');
      expect((await s.checkpoint('web'))?.skus).toEqual(['A', 'B']);
      await s.saveCheckpoint({ ...checkpoint, skus: ['A', 'B'], next: 1 });
      expect(await s.checkpoint('web')).toEqual({ channel: 'web', runId: 'r1', skus: ['A', 'B'], next: 1, startedAt: at(0), finishedAt: null, requestedBy: 'scheduled' });
      expect(await s.checkpoint('edi')).toBeNull();
    });
  });
}

describePushStoreContract('mongo (FerretDB)', async () => {
  if (!ferret) throw new Error('FerretDB did not start');
  databases += 1;
  return MongoPushStore.connect(ferret.url, { dbName: `push_store_${process.pid}_${databases}` });
});
describePushStoreContract('memory', async () => new MemoryPushStore());
