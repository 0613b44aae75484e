/** The most keys one backend call carries; every backend here refuses more. */
export const MAX_BATCH = 100;

/**
 * Looks up many keys at one backend call per chunk of at most `chunkSize` distinct keys, and
 * returns the results in the order of `keys`, with `missing()` where the backend had nothing.
 */
export async function lookupAligned<V>(
  keys: readonly string[],
  fetchChunk: (chunk: string[]) => Promise<Map<string, V>>,
  missing: () => V,
  chunkSize: number = MAX_BATCH,
): Promise<V[]> {
  const unique = [...new Set(keys)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += chunkSize) chunks.push(unique.slice(i, i + chunkSize));
  const found = new Map<string, V>();
  for (const result of await Promise.all(chunks.map(fetchChunk))) {
    for (const [key, value] of result) found.set(key, value);
  }
  return keys.map((key) => found.get(key) ?? missing());
}

/** Groups values under their key, for backends that answer one flat list for many keys. */
export function groupInto<V>(items: readonly V[], key: (item: V) => string): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Keys a comma-separated query parameter cannot carry; such keys simply are not found. */
export function listableKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => key !== '' && !key.includes(','));
}
