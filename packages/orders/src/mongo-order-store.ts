import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderStatus } from '@crossdock/model';
import { MongoClient, MongoNetworkError, MongoServerError, MongoServerSelectionError, type Collection } from 'mongodb';
import { fromOrderDocument, toOrderDocument, type OrderDocument, type RevisionDocument } from './order-document';
import { applyStatus, leasePosting, recordAttemptFailed, recordPosted, requeueFailedPosting } from './order-transitions';
import { POSTING_TARGETS, type OrderStore, type PlacedOrder, type PostingTarget, type RequeueOutcome } from './ports';

/** Options of MongoOrderStore.connect. */
export interface MongoOrderStoreOptions {
  /** Database name; default: the one in the URL. */
  dbName?: string;
  /** Orders collection (default `orders`); pending revisions live in `<collection>_revisions`. */
  collection?: string;
  /**
   * How long a call waits for a reachable server before it fails (default 5000 ms): with the
   * database down, placeOrder must get a clear error fast, not hang for the driver's 30 s default.
   */
  serverSelectionTimeoutMS?: number;
  /**
   * A pending revision older than this (default 5000 ms) is taken to be a crashed writer's and is
   * completed by the next writer of that order. Far above one write's duration.
   */
  abandonedRevisionMs?: number;
}

/** The database cannot be reached (down, restarting, network): retry later; nothing was changed by this call. */
export class OrderStoreUnavailableError extends Error {
  override name = 'OrderStoreUnavailableError';
}

const DUPLICATE_KEY = 11000;
const MAX_COMMIT_ATTEMPTS = 50;

/**
 * The order store and outbox on MongoDB (official driver; FerretDB in tests). One document per
 * order (`_id` = order id) holds the order and its three postings.
 *
 * Why every change is a compare-and-set of a revision instead of a filtered findOneAndUpdate:
 * FerretDB v1 evaluates a filtered update by reading the document and then rewriting all of it,
 * so two concurrent conditional updates can both succeed and updates of different postings of
 * one order can overwrite each other (measured; MongoDB itself is atomic here). A unique `_id`
 * insert is the one write both servers make atomic, so a writer first records the order's next
 * revision under `<orderId>@<revision>` (only one writer can), then replaces the document whose
 * revision is still the one it read. The same code is correct on MongoDB, at the price of two
 * extra round trips per change (recording the revision, then removing it).
 */
export class MongoOrderStore implements OrderStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly orders: Collection<OrderDocument>,
    private readonly revisions: Collection<RevisionDocument>,
    private readonly server: string,
    private readonly abandonedRevisionMs: number,
  ) {}

  /** Connects, creates the indexes if missing, and returns the store; fails with OrderStoreUnavailableError. */
  static async connect(url: string, options: MongoOrderStoreOptions = {}): Promise<MongoOrderStore> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000, appName: 'crossdock-orders' });
    // The parsed hosts, never the URL itself: error messages must not carry credentials.
    const server = client.options.hosts.map(String).join(',');
    const collection = options.collection ?? 'orders';
    try {
      await client.connect();
      const db = client.db(options.dbName);
      const store = new MongoOrderStore(
        client,
        db.collection<OrderDocument>(collection),
        db.collection<RevisionDocument>(`${collection}_revisions`),
        server,
        options.abandonedRevisionMs ?? 5000,
      );
      await store.ensureIndexes();
      return store;
    } catch (error) {
      await client.close();
      throw translate(server, 'connect', error);
    }
  }

  private async ensureIndexes(): Promise<void> {
    // One createIndex call per index: FerretDB 1.24 drops the connection when one createIndexes
    // call lists several indexes that all exist already (every start after the first).
    await this.orders.createIndex({ idempotencyKey: 1 }, { name: 'idempotencyKey_unique', unique: true });
    for (const target of POSTING_TARGETS) {
      // The outbox's claim query: QUEUED postings of one target in due order.
      await this.orders.createIndex({ [`postings.${target}.state`]: 1, [`postings.${target}.nextAttemptAt`]: 1 }, { name: `postings_${target}_due` });
    }
    await this.revisions.createIndex({ orderId: 1, revision: 1 }, { name: 'orderId_revision' });
  }

  async insert(order: PlacedOrder): Promise<'inserted' | 'exists'> {
    return this.guard('insert', async () => {
      try {
        await this.orders.insertOne(toOrderDocument(order, 0));
        return 'inserted';
      } catch (error) {
        // Either the id or the idempotency key is taken; the unique indexes decide atomically.
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return 'exists';
        throw error;
      }
    });
  }

  async get(ids: readonly string[]): Promise<(PlacedOrder | null)[]> {
    return this.guard('get', async () => {
      const docs = await this.orders.find({ _id: { $in: [...new Set(ids)] } }).toArray();
      const byId = new Map(docs.map((doc) => [doc._id, doc]));
      return ids.map((id) => {
        const doc = byId.get(id);
        return doc ? fromOrderDocument(doc) : null;
      });
    });
  }

  async getByIdempotencyKey(idempotencyKey: string): Promise<PlacedOrder | null> {
    return this.guard('getByIdempotencyKey', async () => {
      const doc = await this.orders.findOne({ idempotencyKey });
      return doc ? fromOrderDocument(doc) : null;
    });
  }

  async claimDue(target: PostingTarget, now: Date, leaseMs: number, limit: number): Promise<PlacedOrder[]> {
    if (limit <= 0) return [];
    return this.guard('claimDue', async () => {
      const posting = `postings.${target}`;
      const candidates = await this.orders
        .find({
          [`${posting}.state`]: 'QUEUED',
          [`${posting}.nextAttemptAt`]: { $lte: now },
          $or: [{ [`${posting}.leaseUntil`]: null }, { [`${posting}.leaseUntil`]: { $lte: now } }],
        })
        .sort({ [`${posting}.nextAttemptAt`]: 1 })
        .limit(limit)
        .toArray();
      // Each candidate is leased by its own compare-and-set; one another claimer won is skipped.
      const claimed = await Promise.all(candidates.map((doc) => this.commit(doc._id, (order) => leasePosting(order, target, now, leaseMs, true), doc)));
      return claimed.filter((order): order is PlacedOrder => order !== null);
    });
  }

  async claim(orderId: string, target: PostingTarget, now: Date, leaseMs: number): Promise<PlacedOrder | null> {
    return this.guard('claim', () => this.commit(orderId, (order) => leasePosting(order, target, now, leaseMs, false)));
  }

  async markPosted(orderId: string, target: PostingTarget, reference: string | null, now: Date): Promise<void> {
    await this.guard('markPosted', () => this.commit(orderId, (order) => recordPosted(order, target, reference, now)));
  }

  async markAttemptFailed(orderId: string, target: PostingTarget, error: string, nextAttemptAt: Date, giveUp: boolean): Promise<void> {
    await this.guard('markAttemptFailed', () => this.commit(orderId, (order) => recordAttemptFailed(order, target, error, nextAttemptAt, giveUp)));
  }

  async requeueFailed(orderId: string, target: PostingTarget, now: Date): Promise<RequeueOutcome> {
    return this.guard('requeueFailed', async () => {
      const requeued = await this.commit(orderId, (order) => requeueFailedPosting(order, target, now));
      if (requeued) return 'requeued';
      return (await this.orders.countDocuments({ _id: orderId }, { limit: 1 })) > 0 ? 'not-failed' : 'not-found';
    });
  }

  async updateStatus(orderId: string, status: OrderStatus, cancel?: { at: Date; reason: string | null }): Promise<PlacedOrder | null> {
    return this.guard('updateStatus', () => this.commit(orderId, (order) => applyStatus(order, status, cancel)));
  }

  async depth(now: Date): Promise<Record<PostingTarget, { queued: number; oldestAgeMs: number | null }>> {
    return this.guard('depth', async () => {
      const [erp, wms, commerce] = await Promise.all(
        POSTING_TARGETS.map(async (target) => {
          const filter = { [`postings.${target}.state`]: 'QUEUED' };
          const [queued, oldest] = await Promise.all([
            this.orders.countDocuments(filter),
            this.orders.find(filter).sort({ placedAt: 1 }).limit(1).project<{ placedAt: Date }>({ _id: 0, placedAt: 1 }).toArray(),
          ]);
          const placedAt = oldest[0]?.placedAt;
          return { queued, oldestAgeMs: placedAt ? Math.max(0, now.getTime() - placedAt.getTime()) : null };
        }),
      );
      // POSTING_TARGETS has exactly these three entries; the destructuring only cannot prove it.
      if (!erp || !wms || !commerce) throw new Error('POSTING_TARGETS changed; update depth()');
      return { erp, wms, commerce };
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * Applies `change` to the stored order as a compare-and-set of its next revision and returns
   * the new order; null when the order is unknown or the change does not apply to its current
   * state. On a conflict it re-reads and re-applies, so the change always sees the latest state.
   */
  private async commit(orderId: string, change: (order: PlacedOrder) => PlacedOrder | null, known?: OrderDocument): Promise<PlacedOrder | null> {
    let current = known ?? null;
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
      current ??= await this.orders.findOne({ _id: orderId });
      if (!current) return null;
      const next = change(fromOrderDocument(current));
      if (!next) return null;
      const revision = current.revision + 1;
      const nextDoc = toOrderDocument(next, revision);
      if (await this.recordRevision(orderId, revision, nextDoc)) {
        const { matchedCount } = await this.orders.replaceOne({ _id: orderId, revision: current.revision }, nextDoc);
        await this.revisions.deleteMany({ orderId, revision: { $lte: revision } });
        if (matchedCount === 1) return next;
      } else {
        await this.completeAbandonedRevision(orderId, current.revision);
        // Another writer holds this revision; let it finish before re-reading.
        await sleep(Math.min(50, attempt * 2) * Math.random());
      }
      current = null;
    }
    throw new Error(`order ${orderId}: still conflicting after ${MAX_COMMIT_ATTEMPTS} attempts to change it`);
  }

  /** True when this writer now owns `revision` of the order; false when another writer does. */
  private async recordRevision(orderId: string, revision: number, order: OrderDocument): Promise<boolean> {
    try {
      await this.revisions.insertOne({ _id: `${orderId}@${revision}`, orderId, revision, recordedAt: new Date(), order });
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** Finishes the revision after `revision` when its writer evidently died between the two writes. */
  private async completeAbandonedRevision(orderId: string, revision: number): Promise<void> {
    const pending = await this.revisions.findOne({ _id: `${orderId}@${revision + 1}` });
    if (!pending || Date.now() - pending.recordedAt.getTime() < this.abandonedRevisionMs) return;
    await this.orders.replaceOne({ _id: orderId, revision }, pending.order);
    await this.revisions.deleteMany({ orderId, revision: { $lte: revision + 1 } });
  }

  private async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translate(this.server, operation, error);
    }
  }
}

/**
 * Socket errors the driver (7.x) sometimes passes through unwrapped, e.g. EPIPE when it writes
 * to a pooled connection whose server has just died.
 */
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function isUnreachable(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  // Checked by shape, not `instanceof Error`: Node's own errors come from another realm under
  // test sandboxes such as Jest's.
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && SOCKET_ERROR_CODES.has(error.code);
}

/** Turns every "cannot reach the server" failure into one error type with a clear message. */
function translate(server: string, operation: string, error: unknown): unknown {
  if (!isUnreachable(error)) return error;
  const reason = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return new OrderStoreUnavailableError(`order store at ${server} is unavailable (${operation}): ${reason}`, { cause: error });
}
