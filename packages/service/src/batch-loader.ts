import DataLoader from 'dataloader';
import { asGraphQLError, fromBackend } from './backend-errors';

/** Backends accept at most this many keys per batch call; DataLoader splits bigger batches. */
export const MAX_BACKEND_BATCH = 100;

/**
 * A per-request DataLoader over a connector's batch method (`customersByIds`, ...): every key
 * asked for in one tick of a query plan step becomes ONE backend call. The batch function must
 * return results aligned with its keys. A result may be an Error for one key only (a key the
 * fallback cache cannot serve while its backend is down): that key fails, the others are served.
 * A failed call rejects every key of that batch. Either way a BackendError reaches the client as
 * BACKEND_UNAVAILABLE (see fromBackend).
 */
export function batchLoader<K, V>(batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(
    async (keys) => {
      const results = await fromBackend(() => batch(keys));
      if (results.length !== keys.length) {
        throw new Error(`batch returned ${results.length} results for ${keys.length} keys`);
      }
      return results.map((result) => (result instanceof Error ? asGraphQLError(result) : result));
    },
    { maxBatchSize: MAX_BACKEND_BATCH },
  );
}
