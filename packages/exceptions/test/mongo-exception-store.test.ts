import { describe, expect, it } from '@jest/globals';
import { ExceptionStoreUnavailableError, MongoExceptionStore } from '../src';
import { postingReport, T0 } from './fixtures';
import { useFerretDb } from './mongo-fixture';

describe('MongoExceptionStore with its database down', () => {
  const { open, server } = useFerretDb();

  it('fails with a clear error while the database is down and works again after it restarts', async () => {
    const { store } = await open();
    try {
      const { exception } = await store.record(postingReport({ subject: 'ORD-HDOWN' }), T0);
      await server().kill();
      await expect(store.get([exception.id])).rejects.toBeInstanceOf(ExceptionStoreUnavailableError);
      await expect(store.record(postingReport())).rejects.toThrow(/^exception store at 127\.0\.0\.1:\d+ is unavailable \(record\)/);
      await expect(store.claimReplay(exception.id, 'ops', T0, 1_000)).rejects.toBeInstanceOf(ExceptionStoreUnavailableError);
      await expect(MongoExceptionStore.connect(server().url, { serverSelectionTimeoutMS: 500 })).rejects.toBeInstanceOf(ExceptionStoreUnavailableError);

      await server().restart();
      expect(await store.get([exception.id])).toEqual([exception]);
      expect(await store.record(postingReport({ subject: 'ORD-HDOWN' }), T0)).toMatchObject({ created: false, exception: { attempts: 6 } });
    } finally {
      await store.close();
    }
  });
});
