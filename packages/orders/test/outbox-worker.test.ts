import { describe, expect, it } from '@jest/globals';
import { MemoryOrderStore, OutboxWorker } from '../src';
import { useFerretDb } from './mongo-fixture';
import { describeOutboxContract } from './outbox-contract';

describeOutboxContract('MemoryOrderStore', async () => {
  const store = new MemoryOrderStore();
  return { store, replica: async () => store };
});

describe('on FerretDB', () => {
  const { open } = useFerretDb();
  describeOutboxContract('MongoOrderStore', open);
});

describe('OutboxWorker configuration', () => {
  it('refuses bad settings at construction with the name of the bad value', () => {
    const valid = { store: new MemoryOrderStore(), posters: {}, policy: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 }, intervalMs: 100, leaseMs: 1_000, batchSize: 10 };
    expect(() => new OutboxWorker(valid)).not.toThrow();
    expect(() => new OutboxWorker({ ...valid, leaseMs: 0 })).toThrow('outbox worker: leaseMs must be > 0, got 0');
    expect(() => new OutboxWorker({ ...valid, concurrency: Number.NaN })).toThrow('concurrency must be > 0');
    expect(() => new OutboxWorker({ ...valid, policy: { ...valid.policy, maxAttempts: 1.5 } })).toThrow('maxAttempts must be an integer');
  });
});
