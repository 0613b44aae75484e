import type { StoredSnapshot } from './ports';

/**
 * The newest snapshot of each key this process took, in memory and bounded: when full, the key
 * answered longest ago goes first. Kept as JSON text, as the stores keep it, so an answer served
 * from here never shares objects with the one it was taken from, nor with another request's.
 */
export class RecentSnapshots {
  private readonly entries = new Map<string, { json: string; at: Date }>();

  /** `maxEntries` 0 keeps nothing: every read goes to the store. */
  constructor(private readonly maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 0) throw new RangeError(`maxEntries must be a whole number >= 0, got ${maxEntries}`);
  }

  /** Keeps `value` as the snapshot of `id` unless a newer one is kept already. */
  put(id: string, value: unknown, at: Date): void {
    if (this.maxEntries === 0) return;
    const known = this.entries.get(id);
    if (known && known.at > at) return;
    const json = JSON.stringify(value);
    // Nothing JSON can carry (undefined): the store could not keep it either.
    if (json === undefined) return;
    // Deleting first moves the key to the newest end of the Map's order, so eviction takes the stalest.
    this.entries.delete(id);
    this.entries.set(id, { json, at });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get(id: string): StoredSnapshot | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    const value: unknown = JSON.parse(entry.json);
    return { value, asOf: entry.at };
  }
}
