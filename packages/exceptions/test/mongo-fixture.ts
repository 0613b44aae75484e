import { afterAll, beforeAll } from '@jest/globals';
import { startFerretDb, type BackingService } from '@crossdock/testkit';
import { MongoExceptionStore } from '../src';
import type { OpenExceptionStore } from './fixtures';

/**
 * Starts one real FerretDB for the calling test file (stopped after it) and opens stores on a
 * fresh database per call, so tests never see each other's exceptions.
 */
export function useFerretDb(): { open: OpenExceptionStore; server: () => BackingService } {
  let ferret: BackingService | undefined;
  let databases = 0;
  beforeAll(async () => {
    ferret = await startFerretDb();
  });
  afterAll(async () => {
    await ferret?.stop();
  });
  const server = (): BackingService => {
    if (!ferret) throw new Error('FerretDB is not started (use inside a test)');
    return ferret;
  };
  const open: OpenExceptionStore = async () => {
    const dbName = `exceptions_${process.pid}_${(databases += 1)}`;
    // Short server selection: a test about a dead server should fail fast, not in 30 s.
    const connect = () => MongoExceptionStore.connect(server().url, { dbName, serverSelectionTimeoutMS: 2_000 });
    return { store: await connect(), replica: connect };
  };
  return { open, server };
}
