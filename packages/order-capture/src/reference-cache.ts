/** A value and when the backend last said so (epoch ms). */
export interface Seen<V> {
  value: V;
  seenAt: number;
}

/**
 * Last-known-good answers of one kind (customers, products, prices), in process and bounded:
 * when full, the entry written longest ago goes first. Entries are never expired on a timer;
 * whoever reads decides how old is still good enough (the degraded-mode policy).
 */
export class ReferenceCache<V> {
  private readonly entries = new Map<string, Seen<V>>();

  constructor(private readonly maxEntries = 50_000) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }

  put(key: string, value: V, seenAt: number): void {
    // Re-inserting moves the key to the end of the Map's order, so eviction takes the stalest.
    this.entries.delete(key);
    this.entries.set(key, { value, seenAt });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** The entry if it was seen at most `maxAgeMs` before `now`. */
  get(key: string, maxAgeMs: number, now: number): Seen<V> | undefined {
    const entry = this.entries.get(key);
    return entry && now - entry.seenAt <= maxAgeMs ? entry : undefined;
  }
}
