import type { StoredSnapshot } from './ports';

/**
 * The newest snapshot of each key this process took, in memory and bounded: when full, the key
 * answered longest ago goes first. Kept as JSON text, as the stores keep it, so an answer served
 * from here never shares objects with the one it was taken from, nor with another request's.
 */
export class RecentSnapshots {
  /** `storedAt`: when this value was last handed to the store, or read from it (epoch ms). */
  private readonly entries = new Map<string, { json: string; at: Date; storedAt: number }>();

  /** `maxEntries` 0 keeps nothing: every read goes to the store. */
  constructor(private readonly maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 0) throw new RangeError(`maxEntries must be a whole number >= 0, got ${maxEntries}`);
  }

  /** Keeps `value`, read back from the store, as the snapshot of `id` unless a newer one is kept already. */
  put(id: string, value: unknown, at: Date): void {
    if (this.maxEntries === 0) return;
    const known = this.entries.get(id);
    if (known && known.at > at) return;
    const json = JSON.stringify(value);
    // Nothing JSON can carry (undefined): the store could not keep it either.
    if (json !== undefined) this.keep(id, { json, at, storedAt: at.getTime() });
  }

  /**
   * Keeps a live answer as the snapshot of `id`, taken `at`, and says whether the store needs it
   * too: when this process keeps nothing for `id` yet, the value changed, or the kept value went
   * to the store at or before `storedBy` (epoch ms). An unchanged answer the store has had recently
   * costs a comparison instead of a write; its snapshot here is still dated `at`.
   */
  answered(id: string, value: unknown, at: Date, storedBy: number): boolean {
    if (this.maxEntries === 0) return true;
    const known = this.entries.get(id);
    // An answer older than the one kept (out of order): the store decides by date, as always.
    if (known && known.at > at) return true;
    const json = JSON.stringify(value);
    if (json === undefined) return true;
    const store = !known || known.json !== json || known.storedAt <= storedBy;
    this.keep(id, { json, at, storedAt: store ? at.getTime() : known.storedAt });
    return store;
  }

  get(id: string): StoredSnapshot | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    const value: unknown = JSON.parse(entry.json);
    return { value, asOf: entry.at };
  }

  private keep(id: string, entry: { json: string; at: Date; storedAt: number }): void {
    if (this.maxEntries === 0) return;
    // Deleting first moves the key to the newest end of the Map's order, so eviction takes the stalest.
    this.entries.delete(id);
    this.entries.set(id, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
