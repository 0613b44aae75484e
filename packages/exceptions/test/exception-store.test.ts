import { describe } from '@jest/globals';
import { MemoryExceptionStore } from '../src';
import { describeExceptionStoreContract } from './contract/exception-store-contract';
import { useFerretDb } from './mongo-fixture';

describeExceptionStoreContract('MemoryExceptionStore', async () => {
  const store = new MemoryExceptionStore();
  // A second replica in all-in-one mode is the same process, so the same store.
  return { store, replica: async () => store };
});

describe('on FerretDB', () => {
  const { open } = useFerretDb();
  describeExceptionStoreContract('MongoExceptionStore', open);
});
