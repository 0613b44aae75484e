import { MongoBulkWriteError, MongoClient, type AnyBulkWriteOperation, type Collection, type Filter } from 'mongodb';
import { snapshotId } from './memory-snapshot-store';
import { maxAgeOf, type Snapshot, type SnapshotMaxAge, type SnapshotStore, type StoredSnapshot } from './ports';

/** Options of MongoSnapshotStore.create. */
export interface MongoSnapshotStoreOptions {
  /** Database name; default: the one in the URL. */
  dbName?: string;
  /** Collection name (default `snapshots`). */
  collection?: string;
  /**
   * How long one call waits for a reachable server (default 2000 ms). Writes happen off the
   * request path and reads only while a backend is down, but neither should hold on for the
   * driver's 30 s default when MongoDB itself is gone.
   */
  serverSelectionTimeoutMS?: number;
}

/** One document per (kind, key). */
interface SnapshotDocument {
  _id: string;
  kind: string;
  key: string;
  /**
   * The value as JSON text, not as a BSON document: what was served is what comes back, on
   * MongoDB and FerretDB alike, whatever field names or numbers the answer holds.
   */
  json: string;
  at: Date;
}

/** The snapshot store cannot be reached or refused an operation; the message names the server, never the URL. */
export class SnapshotStoreError extends Error {
  override name = 'SnapshotStoreError';
}

const DUPLICATE_KEY = 11000;

/**
 * Upserts per bulk write; a batch is written in slices of this size, one after the other. Found
 * by the fault drills: FerretDB 1.24 (SQLite) stalls when a few processes (the four subgraphs'
 * write-behind) each send a bulk write of ~50 upserts at once: those writes and every read wait
 * for tens of seconds, so a fallback read times out exactly while a backend is down. Slices of
 * 10 from eight writers at once stay in the milliseconds; MongoDB takes them as easily as one.
 */
const MAX_OPERATIONS_PER_WRITE = 10;

/**
 * The fallback cache's snapshots in MongoDB (official driver; FerretDB in tests), one document
 * per (kind, key) with `_id` = `<kind>:<key>`.
 *
 * A subgraph must start and serve live data while MongoDB is down, so creating the store does not
 * connect: the first operation does, and the next one tries again if that failed (the driver's
 * own connect-on-first-use would leave the client closed for good after a failed first attempt).
 * Indexes are made before the first write that finds the server. FerretDB has no TTL indexes,
 * so expired snapshots are removed by `sweep`, which the fallback cache runs on a timer; the
 * `{ kind, at }` index serves it.
 */
export class MongoSnapshotStore implements SnapshotStore {
  private connection: Promise<void> | null = null;
  private indexes: Promise<void> | null = null;

  private constructor(
    private readonly client: MongoClient,
    private readonly snapshots: Collection<SnapshotDocument>,
    private readonly server: string,
  ) {}

  /** The store at `url`; throws only for a malformed URL, never because the server is down. */
  static create(url: string, options: MongoSnapshotStoreOptions = {}): MongoSnapshotStore {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 2_000, appName: 'crossdock-snapshots' });
    // The parsed hosts, never the URL itself: error messages must not carry credentials.
    const server = client.options.hosts.map(String).join(',');
    return new MongoSnapshotStore(client, client.db(options.dbName).collection<SnapshotDocument>(options.collection ?? 'snapshots'), server);
  }

  async put(snapshots: readonly Snapshot[]): Promise<void> {
    if (snapshots.length === 0) return;
    await this.guard('put', async () => {
      await this.ensureIndexes();
      // The last entry per key counts, and one bulk write must not name a document twice.
      const latest = new Map(snapshots.map((s) => [snapshotId(s.kind, s.key), s]));
      // Newer stored snapshots are read first rather than guarded by an `at` filter on each
      // upsert: that filter makes the upsert hit the unique _id, and FerretDB stops an unordered
      // bulk write at its first error, dropping the rest of the batch. Between this read and the
      // write another replica may store a newer answer that this batch then replaces; both were
      // live answers moments apart, which the fallback can live with.
      const stored = await this.byIds<{ _id: string; at: Date }>([...latest.keys()], { at: 1 });
      for (const doc of stored) {
        const incoming = doc ? latest.get(doc._id) : undefined;
        if (doc && incoming && incoming.at < doc.at) latest.delete(doc._id);
      }
      const operations: AnyBulkWriteOperation<SnapshotDocument>[] = [...latest].map(([_id, s]) => ({
        replaceOne: { filter: { _id }, replacement: { _id, kind: s.kind, key: s.key, json: JSON.stringify(s.value), at: s.at }, upsert: true },
      }));
      for (let start = 0; start < operations.length; start += MAX_OPERATIONS_PER_WRITE) {
        await this.write(operations.slice(start, start + MAX_OPERATIONS_PER_WRITE));
      }
    });
  }

  private async write(operations: AnyBulkWriteOperation<SnapshotDocument>[]): Promise<void> {
    try {
      await this.snapshots.bulkWrite(operations, { ordered: false });
    } catch (error) {
      // Two writers upserting a new snapshot at once: one insert loses on the unique _id. The
      // document exists now, so the same batch again replaces instead of inserting.
      if (!onlyDuplicates(error)) throw error;
      await this.snapshots.bulkWrite(operations, { ordered: false });
    }
  }

  async get(kind: string, keys: readonly string[]): Promise<(StoredSnapshot | null)[]> {
    if (keys.length === 0) return [];
    return this.guard('get', async () => {
      const docs = await this.byIds([...new Set(keys.map((key) => snapshotId(kind, key)))]);
      const byId = new Map(docs.flatMap((doc) => (doc ? [[doc._id, doc] as const] : [])));
      return keys.map((key): StoredSnapshot | null => {
        const doc = byId.get(snapshotId(kind, key));
        if (!doc) return null;
        const value: unknown = JSON.parse(doc.json);
        return { value, asOf: doc.at };
      });
    });
  }

  async sweep(now: Date, maxAge: SnapshotMaxAge): Promise<number> {
    return this.guard('sweep', async () => {
      await this.ensureIndexes();
      const before = (ms: number) => new Date(now.getTime() - ms);
      const overridden = Object.keys(maxAge.byKind);
      const expired: Filter<SnapshotDocument>[] = [
        ...overridden.map((kind) => ({ kind, at: { $lt: before(maxAgeOf(maxAge, kind)) } })),
        { kind: { $nin: overridden }, at: { $lt: before(maxAge.defaultMs) } },
      ];
      const { deletedCount } = await this.snapshots.deleteMany({ $or: expired });
      return deletedCount;
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * The snapshots with these ids, one `_id` lookup each: FerretDB (SQLite) pushes only a filter of
   * `_id` equality alone down to its index and answers `$in` by reading and decoding every
   * snapshot stored, which made each flush of a busy subgraph cost a scan of the whole collection.
   */
  private async byIds<T extends { _id: string } = SnapshotDocument>(ids: readonly string[], projection?: Partial<Record<keyof SnapshotDocument, 1>>): Promise<(T | null)[]> {
    return Promise.all(ids.map((_id) => this.snapshots.findOne<T>({ _id }, projection ? { projection } : {})));
  }

  /** Once connected, the driver rides out server restarts itself; until then each call tries anew. */
  private connect(): Promise<void> {
    this.connection ??= this.client.connect().then(
      () => undefined,
      (error: unknown) => {
        this.connection = null;
        throw error;
      },
    );
    return this.connection;
  }

  /** Made once, by the first write that reaches the server; retried after a failure. */
  private ensureIndexes(): Promise<void> {
    this.indexes ??= this.snapshots.createIndex({ kind: 1, at: 1 }, { name: 'kind_at' }).then(
      () => undefined,
      (error: unknown) => {
        this.indexes = null;
        throw error;
      },
    );
    return this.indexes;
  }

  private async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      await this.connect();
      return await run();
    } catch (error) {
      // By shape, not `instanceof Error`: Node's own errors come from another realm under Jest.
      const reason = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
      throw new SnapshotStoreError(`snapshot store at ${this.server} failed (${operation}): ${reason}`, { cause: error });
    }
  }
}

/** True when every write of a bulk write failed only because a newer snapshot was already stored. */
function onlyDuplicates(error: unknown): boolean {
  if (!(error instanceof MongoBulkWriteError)) return false;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return writeErrors.length > 0 && writeErrors.every((e) => e.code === DUPLICATE_KEY);
}
