import { decodeReservationExpired, MemoryIdempotencyStore, MemoryReservationStore } from '../src';
import { describeIdempotencyStoreContract } from './contract/idempotency-store-contract';
import { describeReservationStoreContract } from './contract/reservation-store-contract';

// The all-in-one substitutes pass the very suite the Redis adapters pass.
describeReservationStoreContract('memory', async () => {
  const payloads: string[] = [];
  const store = new MemoryReservationStore({ expiries: { append: async (_stream, payload) => payloads.push(payload) } });
  return { store, close: async () => undefined, expiries: async () => payloads.map(decodeReservationExpired) };
});
describeIdempotencyStoreContract('memory', async () => ({ store: new MemoryIdempotencyStore({ sweepIntervalMs: 10 }), close: async () => undefined }));
