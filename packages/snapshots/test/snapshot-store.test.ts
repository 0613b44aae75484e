import { afterAll, beforeAll, describe } from '@jest/globals';
import { startFerretDb, type BackingService } from '@crossdock/testkit';
import { MemorySnapshotStore, MongoSnapshotStore } from '../src';
import { describeSnapshotStoreContract } from './snapshot-store-contract';

describeSnapshotStoreContract('MemorySnapshotStore', async () => new MemorySnapshotStore());

describe('on FerretDB', () => {
  let ferret: BackingService;
  let databases = 0;
  beforeAll(async () => {
    ferret = await startFerretDb();
  });
  afterAll(async () => {
    await ferret?.stop();
  });
  // A database per test, so tests never see each other's snapshots.
  describeSnapshotStoreContract('MongoSnapshotStore', async () =>
    MongoSnapshotStore.create(ferret.url, { dbName: `snapshots_${process.pid}_${(databases += 1)}` }),
  );
});
