import { isOutage } from '@crossdock/connectors';
import { countFallback } from '@crossdock/telemetry';

/**
 * A kind of backend answer the fallback cache keeps, e.g. `snapshotKind<Customer | null>('erp.customer')`.
 * The type parameter ties what is stored under the kind to what is read back.
 */
export interface SnapshotKind<V> {
  /** Stable name; stored with every snapshot and used by per-kind maximum ages. No ":". */
  readonly name: string;
  /** Turns a stored snapshot back into the answer. */
  readonly revive: (stored: unknown) => V;
}

/** Declares a kind. Names are part of the stored data and the configuration: never rename one lightly. */
export function snapshotKind<V>(name: string): SnapshotKind<V> {
  if (name.includes(':')) throw new RangeError(`snapshot kind "${name}" must not contain ":"`);
  // The one unchecked step of the cache: a snapshot of this kind was written from a V by this
  // code (JSON of the canonical model, which has no Dates, Maps or undefined it relies on).
  return { name, revive: (stored) => stored as V };
}

/** Where a request's answers from the cache are noted; the service's DegradedReport is one. */
export interface CacheUseReport {
  servedFromCache(asOf: Date): void;
}

/** What a fallback needs from the long-lived cache (FallbackCache). */
export interface SnapshotSource {
  /** Queues the live answers for writing behind; never waits or throws. */
  remember(kind: string, entries: readonly { key: string; value: unknown }[]): void;
  /** The servable snapshots of `keys` (young enough); null per key otherwise, also when the store fails. */
  recall(kind: string, keys: readonly string[]): Promise<({ value: unknown; asOf: Date } | null)[]>;
}

/**
 * A request's view of the fallback cache, used in a subgraph's context around each backend call:
 * a successful answer refreshes its snapshots, an outage (reset, timeout, 5xx, open circuit) is
 * answered from them. Resolvers never see it.
 */
export interface Fallback {
  /**
   * For a DataLoader batch: `live(keys)`, or while the backend is down, the snapshot of each key.
   * A key without a servable snapshot gets the outage's error as its result (batchLoader turns it
   * into BACKEND_UNAVAILABLE at that key's path); errors that are not outages are thrown as is.
   */
  byKeys<V>(kind: SnapshotKind<V>, keys: readonly string[], live: (keys: readonly string[]) => Promise<readonly V[]>): Promise<(V | Error)[]>;
  /** For a whole answer such as a list page: `live()`, or while the backend is down, its snapshot; else the outage is thrown. */
  list<V>(kind: SnapshotKind<V>, cacheKey: string, live: () => Promise<V>): Promise<V>;
}

/** A Fallback without a cache: every call goes live and fails as it fails. */
export const LIVE_ONLY: Fallback = {
  byKeys: async (_kind, keys, live) => [...(await live(keys))],
  list: (_kind, _cacheKey, live) => live(),
};

/** The Fallback of one request, noting what it served from the cache into `report`. */
export function requestFallback(source: SnapshotSource, report: CacheUseReport): Fallback {
  return {
    async byKeys<V>(kind: SnapshotKind<V>, keys: readonly string[], live: (keys: readonly string[]) => Promise<readonly V[]>) {
      let values: readonly V[];
      try {
        values = await live(keys);
      } catch (error) {
        if (!isOutage(error)) throw error;
        const snapshots = await source.recall(kind.name, keys);
        const served = snapshots.filter((snapshot) => snapshot !== null).length;
        countFallback(subgraphOf(kind), kind.name, served, snapshots.length - served);
        return snapshots.map((snapshot): V | Error => {
          if (!snapshot) return error;
          report.servedFromCache(snapshot.asOf);
          return kind.revive(snapshot.value);
        });
      }
      // Only well-formed answers are kept; batchLoader fails a misaligned one anyway.
      if (values.length === keys.length) source.remember(kind.name, keys.map((key, i) => ({ key, value: values[i] })));
      return [...values];
    },
    async list<V>(kind: SnapshotKind<V>, cacheKey: string, live: () => Promise<V>) {
      let value: V;
      try {
        value = await live();
      } catch (error) {
        if (!isOutage(error)) throw error;
        const [snapshot] = await source.recall(kind.name, [cacheKey]);
        countFallback(subgraphOf(kind), kind.name, snapshot ? 1 : 0, snapshot ? 0 : 1);
        if (!snapshot) throw error;
        report.servedFromCache(snapshot.asOf);
        return kind.revive(snapshot.value);
      }
      source.remember(kind.name, [{ key: cacheKey, value }]);
      return value;
    },
  };
}

/** Kinds are named `<subgraph>.<what>` ("erp.customer"): the subgraph label of the fallback metrics. */
function subgraphOf(kind: SnapshotKind<unknown>): string {
  const dot = kind.name.indexOf('.');
  return dot === -1 ? kind.name : kind.name.slice(0, dot);
}

/**
 * A cache key for a list request: the same request always gives the same key, whatever order
 * its fields were written in (objects' keys are sorted; arrays keep their order).
 */
export function listCacheKey(request: unknown): string {
  return JSON.stringify(request, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}
