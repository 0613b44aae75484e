import { describeRateLimitStoreContract } from './rate-limit-store-contract';
import { MemoryRateLimitStore } from '../../src/limits/memory-rate-limit-store';

// The all-in-one substitute passes the very suite the Redis adapter passes.
describeRateLimitStoreContract('memory', async () => new MemoryRateLimitStore());
