import { describe } from '@jest/globals';
import { MemoryOrderStore } from '../src';
import { useFerretDb } from './mongo-fixture';
import { describeOrderStoreContract } from './order-store-contract';

describeOrderStoreContract('MemoryOrderStore', async () => {
  const store = new MemoryOrderStore();
  // A second replica in all-in-one mode is the same process, so the same store.
  return { store, replica: async () => store };
});

describe('on FerretDB', () => {
  const { open } = useFerretDb();
  describeOrderStoreContract('MongoOrderStore', open);
});
