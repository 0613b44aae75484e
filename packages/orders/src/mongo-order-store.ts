import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderStatus } from '@crossdock/model';
import { MongoClient, MongoNetworkError, MongoServerSelectionError, type Collection } from 'mongodb';
import { GroupedWrites, isDuplicateKey, UnansweredWriteError } from './grouped-writes';
import { fromOrderDocument, revisionBytes, revisionOrder, toOrderDocument, type OrderDocument, type StoredOrderDocument, type OrderKeyDocument, type LegacyOutboxEntryDocument, type OutboxEntryDocument, type RevisionDocument } from './order-document';
import { DelayedRemovals } from './delayed-removals';
import { applyAttempts, applyStatus, leasePosting, leasePostings, requeueFailedPosting } from './order-transitions';
import { POSTING_TARGETS, type ClaimedPostings, type OrderStore, type PlacedOrder, type Posting, type PostingAttempt, type PostingTarget, type RequeueOutcome } from './ports';
import { RecentRevisions } from './recent-revisions';

/** Options of MongoOrderStore.connect. */
export interface MongoOrderStoreOptions {
  /** Database name; default: the one in the URL. */
  dbName?: string;
  /**
   * Orders collection (default `orders`); pending revisions live in `<collection>_revisions`, the
   * idempotency keys in `<collection>_keys` and the outbox's work list in `<collection>_outbox`.
   */
  collection?: string;
  /**
   * How long a call waits for a reachable server before it fails (default 5000 ms): with the
   * database down, placeOrder must get a clear error fast, not hang for the driver's 30 s default.
   */
  serverSelectionTimeoutMS?: number;
  /**
   * A pending revision older than this (default 5000 ms) is taken to be a crashed writer's and is
   * completed by the next writer of that order. Far above one write's duration. A committed
   * revision's record is kept for a quarter of it (see the class comment).
   */
  abandonedRevisionMs?: number;
}

/**
 * The database cannot be reached or did not answer (down, restarting, network): retry later. A
 * write it never answered may have been applied all the same; retrying any store call is safe.
 */
export class OrderStoreUnavailableError extends Error {
  override name = 'OrderStoreUnavailableError';
}

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
 * revision under `<orderId>@<revision>` (only one writer can), then replaces the order. The same
 * code is correct on MongoDB, at the price of the record's insert and its later removal per
 * change; both are group commits (GroupedWrites), so under load they cost a fraction of a round
 * trip each.
 *
 * Why the replace needs no check that the order is still at the revision read: a committed
 * record is kept for a while (`revisionHoldMs`, a quarter of `abandonedRevisionMs`) before it is
 * removed. Another writer's commit of the same revision lands after this writer's read, and its
 * record stays for the hold after that; so a record taken less than the hold after the read
 * (or, for a guess from lastWritten, after this writer sent the write it guesses from) would have
 * been refused had anyone committed that revision meanwhile. A writer slower than that reads the
 * stored revision first (see writeOwnedRevision). The records so kept are removed later, off the
 * caller's path.
 *
 * Why every hot read and write is by `_id` alone: FerretDB v1 (SQLite) pushes a filter down to the
 * database only when it is `_id` equality and nothing else; any other filter (`{ _id, revision }`
 * and `$in` included) reads and decodes every document of the collection. So an order's
 * idempotency key has a document of its own keyed by it, several orders are read as one `_id`
 * lookup each, and the outbox scans a work list with one entry per order with QUEUED postings
 * (`<collection>_outbox`), never the orders. On MongoDB the same access paths are index lookups as well.
 */
export class MongoOrderStore implements OrderStore {
  private readonly lastWritten = new RecentRevisions();
  /** Committed revision records, removed once their hold is over (see the class comment). */
  private readonly committedRecords: DelayedRemovals;
  private readonly revisionHoldMs: number;
  /**
   * The hot path's single-document writes (inserts, and deletes and replaces by `_id`), sent as
   * group commits: many orders placed at once cost a few round trips, not several each.
   */
  private readonly grouped: {
    orders: GroupedWrites<StoredOrderDocument>;
    revisions: GroupedWrites<RevisionDocument>;
    keys: GroupedWrites<OrderKeyDocument>;
    outbox: GroupedWrites<OutboxEntryDocument>;
  };

  private constructor(
    private readonly client: MongoClient,
    private readonly orders: Collection<StoredOrderDocument>,
    private readonly revisions: Collection<RevisionDocument>,
    private readonly keys: Collection<OrderKeyDocument>,
    private readonly outbox: Collection<OutboxEntryDocument>,
    private readonly server: string,
    private readonly abandonedRevisionMs: number,
  ) {
    this.grouped = { orders: new GroupedWrites(orders), revisions: new GroupedWrites(revisions), keys: new GroupedWrites(keys), outbox: new GroupedWrites(outbox) };
    this.revisionHoldMs = abandonedRevisionMs / 4;
    this.committedRecords = new DelayedRemovals(this.revisionHoldMs, (id) => this.grouped.revisions.write({ deleteOne: { filter: { _id: id } } }));
  }

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
        db.collection<StoredOrderDocument>(collection),
        db.collection<RevisionDocument>(`${collection}_revisions`),
        db.collection<OrderKeyDocument>(`${collection}_keys`),
        db.collection<OutboxEntryDocument>(`${collection}_outbox`),
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
    // The orders carry no other index: nothing queries them but by `_id` (the outbox scans its
    // work list), and FerretDB recomputes every index of a document on each write of it.
    await this.orders.createIndex({ idempotencyKey: 1 }, { name: 'idempotencyKey_unique', unique: true });
    for (const target of POSTING_TARGETS) await this.outbox.createIndex({ [`due.${target}`]: 1 }, { name: `due_${target}` });
    await this.convertLegacyEntries();
    await this.removeCommittedLeftovers();
  }

  /**
   * Revision records whose writer committed them and then died during their hold (or whose
   * removal failed) would stay for good: no later writer meets them, as the order is past their
   * revision. Every start removes those older than abandonedRevisionMs (a younger one may be a live
   * writer's, still held). A record whose change never reached the order is left to
   * completeAbandonedRevision. The filter on `recordedAt` makes FerretDB read every record, but
   * the collection holds little more than the last second's.
   */
  private async removeCommittedLeftovers(): Promise<void> {
    const before = new Date(Date.now() - this.abandonedRevisionMs);
    const old = await this.revisions.find({ recordedAt: { $lt: before } }).project<Pick<RevisionDocument, '_id' | 'orderId' | 'revision'>>({ orderId: 1, revision: 1 }).toArray();
    for (const record of old) {
      const order = await this.orders.findOne({ _id: record.orderId }, { projection: { revision: 1 } });
      if (order && order.revision >= record.revision) await this.revisions.deleteOne({ _id: record._id });
    }
  }

  /**
   * Entries written before the work list had one entry per order were one per posting, with
   * `target` and `nextAttemptAt`: each becomes an entry of that one posting (its `_id` already has
   * the `<orderId>|<target>` form of a requeue's entry), and their index goes. Every start looks;
   * once converted, nothing matches.
   */
  private async convertLegacyEntries(): Promise<void> {
    const legacy = this.outbox.db.collection<LegacyOutboxEntryDocument>(this.outbox.collectionName);
    for (const entry of await legacy.find({ target: { $exists: true } }).toArray()) {
      await legacy.updateOne({ _id: entry._id }, { $set: { [`due.${entry.target}`]: entry.nextAttemptAt }, $unset: { target: '', nextAttemptAt: '' } });
    }
    if (await this.outbox.indexExists('target_due')) await this.outbox.dropIndex('target_due');
  }

  async insert(order: PlacedOrder): Promise<'inserted' | 'exists'> {
    return this.guard('insert', async () => {
      // The key's pointer and the work list first: no order may exist without them. A pointer
      // already there (a request with this key that lost a race or died) is left as it is: a
      // pointer naming an order that is not stored is repaired on the next lookup.
      const entry = orderEntry(order, new Date());
      await Promise.all([
        this.grouped.keys.write({ insertOne: { document: { _id: order.idempotencyKey, orderId: order.id } } }).catch(ignoreDuplicate),
        // An entry already there (the same order inserted again) is fine.
        entry ? this.grouped.outbox.write({ insertOne: { document: entry } }).catch(ignoreDuplicate) : null,
      ]);
      try {
        const doc = toOrderDocument(order, 0);
        const sentAt = performance.now();
        await this.grouped.orders.write({ insertOne: { document: doc } });
        this.lastWritten.remember(doc, sentAt);
        return 'inserted';
      } catch (error) {
        // Either the id or the idempotency key is taken; the unique indexes decide atomically.
        if (!isDuplicateKey(error)) throw error;
        // Lost to another order with this key: its work list entry must not linger. (The same
        // order inserted again keeps the entry its first insert wrote.) The entry's `_id` is this
        // new order's id, which nothing else writes while the order is not stored.
        if (entry && !(await this.orders.findOne({ _id: order.id }))) await this.grouped.outbox.write({ deleteOne: { filter: { _id: entry._id } } });
        return 'exists';
      }
    });
  }

  async get(ids: readonly string[]): Promise<(PlacedOrder | null)[]> {
    return this.guard('get', async () => {
      const unique = [...new Set(ids)];
      // One `_id` lookup each (see the class comment: FerretDB scans everything for `$in`).
      const docs = await Promise.all(unique.map((id) => this.orders.findOne({ _id: id })));
      const byId = new Map(docs.flatMap((doc) => (doc ? [[doc._id, doc] as const] : [])));
      return ids.map((id) => {
        const doc = byId.get(id);
        return doc ? fromOrderDocument(doc) : null;
      });
    });
  }

  async getByIdempotencyKey(idempotencyKey: string): Promise<PlacedOrder | null> {
    return this.guard('getByIdempotencyKey', async () => {
      const key = await this.keys.findOne({ _id: idempotencyKey });
      // Every order's key is written before the order: no key, no order.
      if (!key) return null;
      const doc = await this.orders.findOne({ _id: key.orderId });
      if (doc?.idempotencyKey === idempotencyKey) return fromOrderDocument(doc);
      // The pointer names an order that lost a race for the key or was never written (its writer
      // died): the slow search decides, and the pointer is repaired for the next lookup.
      const winner = await this.orders.findOne({ idempotencyKey });
      if (winner) await this.pointKey(idempotencyKey, winner._id);
      return winner ? fromOrderDocument(winner) : null;
    });
  }

  async claimDue(target: PostingTarget, now: Date, leaseMs: number, limit: number, dueBy: Date = now): Promise<PlacedOrder[]> {
    if (limit <= 0) return [];
    return this.guard('claimDue', async () => {
      const entries = await this.outbox
        .find({ [`due.${target}`]: { $lte: dueBy } })
        .sort({ [`due.${target}`]: 1 })
        .limit(limit)
        .toArray();
      // Each candidate is leased by its own compare-and-set; one another claimer won is skipped.
      const claimed = await Promise.all(entries.map((entry) => this.claimEntry(entry, target, now, leaseMs, dueBy)));
      return claimed.filter((order): order is PlacedOrder => order !== null);
    });
  }

  async claim(orderId: string, targets: readonly PostingTarget[], now: Date, leaseMs: number): Promise<ClaimedPostings | null> {
    return this.guard('claim', async () => {
      let leased: PostingTarget[] = [];
      const order = await this.commit(orderId, (current) => {
        const claimed = leasePostings(current, targets, now, leaseMs);
        leased = claimed?.targets ?? [];
        return claimed?.order ?? null;
      });
      return order ? { order, targets: leased } : null;
    });
  }

  async recordAttempts(orderId: string, attempts: readonly PostingAttempt[]): Promise<PlacedOrder | null> {
    return this.guard('recordAttempts', async () => {
      const order = await this.commit(orderId, (current) => applyAttempts(current, attempts));
      if (order) await this.syncEntries(order, [...new Set(attempts.map((attempt) => attempt.target))]);
      return order;
    });
  }

  async requeueFailed(orderId: string, target: PostingTarget, now: Date): Promise<RequeueOutcome> {
    return this.guard('requeueFailed', async () => {
      const [current] = await this.get([orderId]);
      if (!current) return 'not-found';
      if (current.postings[target].state !== 'FAILED') return 'not-failed';
      // An entry of its own first, a posting QUEUED again must be found by the outbox: the
      // order's entry may be gone, or go with a change recorded meanwhile.
      const { _id, ...entry } = requeueEntry(current, target, now, new Date());
      await upsertOnce(() => this.outbox.updateOne({ _id }, { $set: entry }, { upsert: true }));
      const requeued = await this.commit(orderId, (order) => requeueFailedPosting(order, target, now));
      return requeued ? 'requeued' : 'not-failed';
    });
  }

  async updateStatus(orderId: string, status: OrderStatus, cancel?: { at: Date; reason: string | null }): Promise<PlacedOrder | null> {
    return this.guard('updateStatus', () => this.commit(orderId, (order) => applyStatus(order, status, cancel)));
  }

  async depth(now: Date): Promise<Record<PostingTarget, { queued: number; oldestAgeMs: number | null }>> {
    return this.guard('depth', async () => {
      const [erp, wms, commerce] = await Promise.all(
        POSTING_TARGETS.map(async (target) => {
          // The work list names QUEUED postings only (a leftover is gone at its next claim).
          const named = { [`due.${target}`]: { $exists: true } };
          const [queued, oldest] = await Promise.all([
            this.outbox.countDocuments(named),
            this.outbox.find(named).sort({ placedAt: 1 }).limit(1).project<{ placedAt: Date }>({ _id: 0, placedAt: 1 }).toArray(),
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
    // Records still held stay: removed now, they would no longer shut out a writer on another
    // replica that read before them. The next start of any replica removes them
    // (removeCommittedLeftovers).
    await this.committedRecords.stop(1_000);
    await this.client.close();
  }

  /**
   * Applies `change` to the stored order as a compare-and-set of its next revision and returns
   * the new order; null when the order is unknown or the change does not apply to its current
   * state. On a conflict it re-reads and re-applies, so the change always sees the latest state.
   */
  private async commit(orderId: string, change: (order: PlacedOrder) => PlacedOrder | null): Promise<PlacedOrder | null> {
    // First guess: the revision this process last wrote, if any (a new order's first change right
    // after its insert). A stale guess is refused like a stale read and costs a retry.
    let guess = this.lastWritten.take(orderId);
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
      // Since when the revision built on is known to be current (see the class comment).
      const knownAt = guess?.sentAt ?? performance.now();
      const current = guess?.doc ?? (await this.orders.findOne({ _id: orderId }));
      const guessed = guess !== null;
      guess = null;
      if (!current) return null;
      const next = change(fromOrderDocument(current));
      // Only the stored order can say that a change does not apply.
      if (!next && guessed) continue;
      if (!next) return null;
      const revision = current.revision + 1;
      const nextDoc = toOrderDocument(next, revision);
      const recordedAt = new Date();
      const recordId = revisionId(orderId, revision);
      if (await this.recordRevision(orderId, revision, nextDoc, recordedAt)) {
        const sentAt = performance.now();
        if (await this.writeOwnedRevision(orderId, current.revision, nextDoc, recordedAt, sentAt - knownAt)) {
          this.committedRecords.add(recordId);
          this.lastWritten.remember(nextDoc, sentAt);
          return next;
        }
        await this.grouped.revisions.write({ deleteOne: { filter: { _id: recordId } } });
      } else if (!guessed) {
        await this.completeAbandonedRevision(orderId, current.revision);
        // Another writer holds this revision; let it finish before re-reading.
        await sleep(Math.min(50, attempt * 2) * Math.random());
      }
    }
    throw new Error(`order ${orderId}: still conflicting after ${MAX_COMMIT_ATTEMPTS} attempts to change it`);
  }

  /**
   * Writes revision `revision + 1`, whose record this writer holds, over `revision`; false when
   * the order is no longer at `revision` (nothing written). `knownForMs`: how long before taking
   * the record the writer knew `revision` to be current. Within the hold of committed records
   * holding the record proves that no one else committed it (see the class comment); a writer
   * that read longer ago may hold a revision someone else already committed and whose record is
   * gone: it reads the stored revision first, by `_id` (a filter on `revision` as well would make
   * FerretDB read every order stored; see the class comment). Between that point and the write
   * no one else can change the order, unless this writer is so slow that its record is taken for
   * a crashed writer's (completeAbandonedRevision); then only the conditional write is safe.
   */
  private async writeOwnedRevision(orderId: string, revision: number, nextDoc: OrderDocument, recordedAt: Date, knownForMs: number): Promise<boolean> {
    if (knownForMs >= this.revisionHoldMs) {
      const stored = await this.orders.findOne({ _id: orderId }, { projection: { revision: 1 } });
      if (stored?.revision !== revision) return false;
    }
    if (Date.now() - recordedAt.getTime() < this.abandonedRevisionMs / 2) {
      // Orders are never deleted, so a replace by `_id` alone always finds the order.
      await this.grouped.orders.write({ replaceOne: { filter: { _id: orderId }, replacement: nextDoc } });
      return true;
    }
    const { matchedCount } = await this.orders.replaceOne({ _id: orderId, revision }, nextDoc);
    return matchedCount === 1;
  }

  /** True when this writer now owns `revision` of the order; false when another writer does. */
  private async recordRevision(orderId: string, revision: number, order: OrderDocument, recordedAt: Date): Promise<boolean> {
    try {
      await this.grouped.revisions.write({ insertOne: { document: { _id: revisionId(orderId, revision), orderId, revision, recordedAt, order: revisionBytes(order) } } });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /**
   * Finishes the revision after `revision` when its writer evidently died between the two
   * writes. The conditional replace reads every order on FerretDB, but only a crash leads here.
   * A committed record left behind (its writer died during the hold, or the removal failed) goes
   * the same way: the order is past `revision` then, so the replace changes nothing.
   */
  private async completeAbandonedRevision(orderId: string, revision: number): Promise<void> {
    const pendingId = revisionId(orderId, revision + 1);
    const pending = await this.revisions.findOne({ _id: pendingId });
    if (!pending || Date.now() - pending.recordedAt.getTime() < this.abandonedRevisionMs) return;
    await this.orders.replaceOne({ _id: orderId, revision }, revisionOrder(pending));
    await this.revisions.deleteOne({ _id: pendingId });
  }

  /** Points the key at the order. */
  private async pointKey(idempotencyKey: string, orderId: string): Promise<void> {
    await upsertOnce(() => this.keys.replaceOne({ _id: idempotencyKey }, { orderId }, { upsert: true }));
  }

  /**
   * Leases the posting of one work list entry. A posting leased by another worker moves the
   * entry's time for it to the lease's end, so it stops crowding the list. A posting no longer
   * QUEUED is a leftover: its name goes from the order's entry (the whole entry once the order
   * has no QUEUED posting left), and a requeue's entry goes unless it was written just now (its
   * requeue may be under way); so does an entry whose order is not stored, unless written just
   * now (its order's insert may be under way).
   */
  private async claimEntry(entry: OutboxEntryDocument, target: PostingTarget, now: Date, leaseMs: number, dueBy: Date): Promise<PlacedOrder | null> {
    const claimed = await this.commit(entry.orderId, (order) => leasePosting(order, target, now, leaseMs, dueBy));
    if (claimed) return claimed;
    const [current] = await this.get([entry.orderId]);
    const posting = current?.postings[target];
    if (posting?.state === 'QUEUED') {
      await this.outbox.updateOne({ _id: entry._id }, { $set: { [`due.${target}`]: lookAgainAt(posting) } });
    } else if (current && entry._id === current.id) {
      await this.syncEntries(current, [target]);
    } else if (Date.now() - entry.writtenAt.getTime() >= this.abandonedRevisionMs) {
      await this.outbox.deleteOne({ _id: entry._id, writtenAt: entry.writtenAt });
    }
    return null;
  }

  /**
   * After a change of postings: the order's entry follows the next attempt of each of `targets`
   * still QUEUED and stops naming the others; it goes (by `_id` alone, a grouped write) once no
   * posting of the order is QUEUED. That is final: only a requeue makes a posting QUEUED again,
   * and a requeue writes an entry of its own. A QUEUED posting the order's entry no longer names
   * was requeued: its own entry follows it. A requeue's entry of a posting that left QUEUED
   * is left to the next claim (requeues are rare; see claimEntry).
   */
  private async syncEntries(order: PlacedOrder, targets: readonly PostingTarget[]): Promise<void> {
    if (!POSTING_TARGETS.some((target) => order.postings[target].state === 'QUEUED')) {
      await this.grouped.outbox.write({ deleteOne: { filter: { _id: order.id } } });
      return;
    }
    if (targets.length === 0) return;
    const queued = targets.filter((target) => order.postings[target].state === 'QUEUED');
    const due: Record<string, Date> = {};
    const done: Record<string, ''> = {};
    for (const target of targets) {
      if (queued.includes(target)) due[`due.${target}`] = lookAgainAt(order.postings[target]);
      else done[`due.${target}`] = '';
    }
    const { matchedCount } = await this.outbox.updateOne({ _id: order.id }, { ...(queued.length > 0 ? { $set: due } : {}), ...(queued.length < targets.length ? { $unset: done } : {}) });
    if (matchedCount === 0) {
      await Promise.all(queued.map((target) => this.outbox.updateOne({ _id: entryId(order.id, target) }, { $set: { [`due.${target}`]: lookAgainAt(order.postings[target]) } })));
    }
  }

  private async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translate(this.server, operation, error);
    }
  }
}

function revisionId(orderId: string, revision: number): string {
  return `${orderId}@${revision}`;
}

function entryId(orderId: string, target: PostingTarget): string {
  return `${orderId}|${target}`;
}

/** When a QUEUED posting is worth a claim: due, and its lease (an inserter's or a worker's) over. */
function lookAgainAt(posting: Posting): Date {
  return new Date(Math.max(Date.parse(posting.nextAttemptAt), posting.leaseUntil === null ? 0 : Date.parse(posting.leaseUntil)));
}

/** The entry a new order is placed with: one for all its QUEUED postings; null when none is. */
function orderEntry(order: PlacedOrder, writtenAt: Date): OutboxEntryDocument | null {
  const queued = POSTING_TARGETS.filter((target) => order.postings[target].state === 'QUEUED');
  if (queued.length === 0) return null;
  const due = Object.fromEntries(queued.map((target) => [target, lookAgainAt(order.postings[target])]));
  return { _id: order.id, orderId: order.id, due, placedAt: new Date(order.placedAt), writtenAt };
}

/** The entry of a posting an operator requeued. */
function requeueEntry(order: PlacedOrder, target: PostingTarget, nextAttemptAt: Date, writtenAt: Date): OutboxEntryDocument {
  return { _id: entryId(order.id, target), orderId: order.id, due: { [target]: nextAttemptAt }, placedAt: new Date(order.placedAt), writtenAt };
}

/** Two racing upserts of one new `_id` may clash once (E11000); the document exists then, so the second try updates it. */
async function upsertOnce(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await write();
  }
}

/** An insert of an `_id` that is there already changed nothing, and that is fine. */
function ignoreDuplicate(error: unknown): void {
  if (!isDuplicateKey(error)) throw error;
}

/**
 * Socket errors the driver (7.x) sometimes passes through unwrapped, e.g. EPIPE when it writes
 * to a pooled connection whose server has just died.
 */
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function isUnreachable(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError || error instanceof UnansweredWriteError) return true;
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
