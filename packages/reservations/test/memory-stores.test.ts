import { MemoryIdempotencyStore, MemoryReservationStore } from '../src';
import { describeIdempotencyStoreContract } from './contract/idempotency-store-contract';
import { describeReservationStoreContract } from './contract/reservation-store-contract';

// The all-in-one substitutes pass the very suite the Redis adapters pass.
describeReservationStoreContract('memory', async () => ({ store: new MemoryReservationStore(), close: async () => undefined }));
describeIdempotencyStoreContract('memory', async () => ({ store: new MemoryIdempotencyStore({ sweepIntervalMs: 10 }), close: async () => undefined }));
