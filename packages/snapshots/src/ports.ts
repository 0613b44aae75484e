/**
 * One backend answer kept for a later outage: which kind of record, under which key, and when
 * the backend gave it. `value` is the answer in the canonical model (JSON-serialisable data);
 * it is read back as the parsed JSON.
 */
export interface Snapshot {
  /** What the answer is, e.g. "erp.customer", "commerce.order-page"; never contains ":". */
  kind: string;
  /** Which one, e.g. a customer id or a list's cache key. */
  key: string;
  value: unknown;
  /** When the backend gave the answer. */
  at: Date;
}

/** A snapshot as read back: the value and when the backend gave it. */
export interface StoredSnapshot {
  value: unknown;
  asOf: Date;
}

/**
 * How old a snapshot may get, per kind, before it is no longer served and the sweep removes it.
 * Stock moves faster than customer master data, so kinds may differ.
 */
export interface SnapshotMaxAge {
  defaultMs: number;
  /** Overrides by kind, e.g. `{ "wms.positions": 600000 }`. */
  byKind: Readonly<Record<string, number>>;
}

/** The maximum age that applies to `kind`. */
export function maxAgeOf(maxAge: SnapshotMaxAge, kind: string): number {
  return maxAge.byKind[kind] ?? maxAge.defaultMs;
}

/**
 * Where snapshots live: MongoDB in production, in process for all-in-one. Kept narrow on purpose
 * (put, get, sweep) so both adapters pass one contract suite.
 */
export interface SnapshotStore {
  /**
   * Stores a batch, one snapshot per (kind, key): a newer snapshot replaces an older one, an
   * older one than stored changes nothing. Within a batch the last entry for a key counts.
   */
  put(snapshots: readonly Snapshot[]): Promise<void>;
  /** The snapshot of each key, aligned with `keys`; null where none is stored. Age is the reader's concern. */
  get(kind: string, keys: readonly string[]): Promise<(StoredSnapshot | null)[]>;
  /** Removes every snapshot older than its kind's maximum age at `now`; returns how many. */
  sweep(now: Date, maxAge: SnapshotMaxAge): Promise<number>;
  close(): Promise<void>;
}
