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

describe('OutboxWorker loop', () => {
  it('waits its interval after a failed round, also while catching a backend up (no spinning on a store that is down)', async () => {
    /** A store that is down: every claim fails, and each is counted. */
    class DownStore extends MemoryOrderStore {
      claims = 0;
      override async claimDue(): Promise<never> {
        this.claims += 1;
        throw new Error('store unavailable');
      }
    }
    const store = new DownStore();
    const messages: string[] = [];
    const worker = new OutboxWorker({
      store,
      posters: { erp: async () => 'never' },
      policy: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      intervalMs: 200,
      leaseMs: 1_000,
      batchSize: 10,
      log: (entry) => messages.push(entry.message),
    });
    worker.start();
    worker.catchUp('erp');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await worker.stop();
    // One round at start, one for catchUp, then one per 200 ms: about 6, never hundreds.
    expect(store.claims).toBeGreaterThanOrEqual(3);
    expect(store.claims).toBeLessThanOrEqual(8);
    expect(messages.filter((m) => m.startsWith('outbox round failed'))).toHaveLength(store.claims);
  });
});
