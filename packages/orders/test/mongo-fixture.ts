import { afterAll, beforeAll } from '@jest/globals';
import { startFerretDb, type BackingService } from '@crossdock/testkit';
import { MongoOrderStore, type MongoOrderStoreOptions } from '../src';
import type { OpenStore } from './fixtures';

/**
 * Starts one real FerretDB for the calling test file (stopped after it) and opens stores on a
 * fresh database per test, so tests never see each other's orders.
 */
export function useFerretDb(options: MongoOrderStoreOptions = {}): { open: OpenStore; server: () => BackingService } {
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
  const open: OpenStore = async () => {
    const url = server().url;
    const dbName = `orders_${process.pid}_${(databases += 1)}`;
    // Short server selection: a test about a dead server should fail fast, not in 30 s.
    const connect = () => MongoOrderStore.connect(url, { serverSelectionTimeoutMS: 2_000, ...options, dbName });
    return { store: await connect(), replica: connect };
  };
  return { open, server };
}
