import type { Snapshot, SnapshotMaxAge, SnapshotStore, StoredSnapshot } from './ports';
import { maxAgeOf } from './ports';

interface Entry {
  kind: string;
  /** Kept as JSON text, as the MongoDB adapter does: a reader never shares objects with the writer. */
  json: string;
  at: Date;
}

/**
 * The in-process substitute for MongoSnapshotStore (all-in-one mode): one process shares it, and
 * nothing survives a restart. Unbounded, like the collection it stands in for; the sweep keeps it
 * to what is still young enough to serve.
 */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly entries = new Map<string, Entry>();

  async put(snapshots: readonly Snapshot[]): Promise<void> {
    for (const { kind, key, value, at } of snapshots) {
      const id = snapshotId(kind, key);
      const stored = this.entries.get(id);
      if (stored && stored.at > at) continue;
      this.entries.set(id, { kind, json: JSON.stringify(value), at: new Date(at) });
    }
  }

  async get(kind: string, keys: readonly string[]): Promise<(StoredSnapshot | null)[]> {
    return keys.map((key): StoredSnapshot | null => {
      const entry = this.entries.get(snapshotId(kind, key));
      if (!entry) return null;
      const value: unknown = JSON.parse(entry.json);
      return { value, asOf: new Date(entry.at) };
    });
  }

  async sweep(now: Date, maxAge: SnapshotMaxAge): Promise<number> {
    let removed = 0;
    for (const [id, entry] of this.entries) {
      if (now.getTime() - entry.at.getTime() > maxAgeOf(maxAge, entry.kind)) {
        this.entries.delete(id);
        removed += 1;
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    // Nothing to release; the data stays for whoever still holds the store.
  }
}

/** One id per (kind, key); kinds never contain ":", so it cannot be ambiguous. */
export function snapshotId(kind: string, key: string): string {
  return `${kind}:${key}`;
}
