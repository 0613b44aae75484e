import DataLoader from 'dataloader';

/** Backends accept at most this many keys per batch call; DataLoader splits bigger batches. */
export const MAX_BACKEND_BATCH = 100;

/**
 * A per-request DataLoader over a connector's batch method (`customersByIds`, ...): every key
 * asked for in one tick of a query plan step becomes ONE backend call. The batch function must
 * return results aligned with its keys; a failed call rejects every key of that batch.
 */
export function batchLoader<K, V>(batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(
    async (keys) => {
      const results = await batch(keys);
      if (results.length !== keys.length) {
        throw new Error(`batch returned ${results.length} results for ${keys.length} keys`);
      }
      return results;
    },
    { maxBatchSize: MAX_BACKEND_BATCH },
  );
}
