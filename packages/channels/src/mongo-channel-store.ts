import { MongoBulkWriteError, MongoClient, MongoServerError, type Collection, type Filter } from 'mongodb';
import { InsertBatcher } from './insert-batcher';
import { claimKey, mayReclaim } from './claims';
import type { ChannelStore, DocumentDelivery, DocumentFilter, EdiDocument, EdiDocumentType, InterchangeRecord, Page, PurchaseOrderRecord, WebhookDelivery } from './ports';
import { WorkList, type ItemSchedule, type WorkEntry, type WorkKind } from './work-list';

const DUPLICATE_KEY = 11000;

type Stored<T extends { id: string }> = Omit<T, 'id'> & { _id: string };
interface DocumentRow extends Stored<EdiDocument> {
  /** `<partnerId>:<type>:<reference>`, unique. */
  key: string;
}
interface ControlRow {
  _id: string;
  partnerId: string;
  n: number;
}
interface ClaimRow {
  _id: string;
  at: string;
}

/** Options of MongoChannelStore.connect. */
export interface MongoChannelStoreOptions {
  /**
   * Default: the URL's database with `_channels` appended. A database of its own because FerretDB
   * keeps each database in one SQLite file with one writer at a time: webhook acknowledgements
   * must not queue behind the order store's writes (on MongoDB it makes no difference).
   */
  dbName?: string;
  /** Collection name prefix (default `channel_`). */
  prefix?: string;
  serverSelectionTimeoutMS?: number;
  /** How long a claim on a document or webhook attempt holds before another worker may retry it (default 60 s). */
  claimMs?: number;
}

/**
 * The channel store on MongoDB (FerretDB in tests): every once-only step is a unique insert.
 *
 * What runs often reads by `_id` only: FerretDB v1 (SQLite) reads and decodes a whole collection
 * for any other filter, so a query of the webhooks, documents or POs would cost more with every
 * one ever stored. The background loops find their work in a small work list (see WorkList)
 * instead of querying those collections, and control numbers are found by `_id` lookups.
 */
export class MongoChannelStore implements ChannelStore {
  /** The last control number this process took or saw per partner (the next is tried first). */
  private readonly lastControl = new Map<string, number>();

  private constructor(
    private readonly client: MongoClient,
    private readonly interchanges: Collection<Stored<InterchangeRecord>>,
    private readonly purchaseOrders: Collection<Stored<PurchaseOrderRecord>>,
    private readonly documentRows: Collection<DocumentRow>,
    private readonly controls: Collection<ControlRow>,
    private readonly claims: Collection<ClaimRow>,
    private readonly webhooks: Collection<Stored<WebhookDelivery>>,
    private readonly work: WorkList,
    /**
     * Accepted POs whose 856/810 may still be due: copies of their records (an accepted PO does
     * not change until its follow-ups close), so the poller scans these only, never every PO.
     */
    private readonly followUps: Collection<Stored<PurchaseOrderRecord>>,
    private readonly claimMs: number,
  ) {
    this.webhookInserts = new InsertBatcher((rows) => this.insertMany(this.webhooks, rows));
  }

  /** Webhooks arriving together are stored with one insertMany (one commit on FerretDB's SQLite). */
  private readonly webhookInserts: InsertBatcher<Stored<WebhookDelivery>>;

  static async connect(url: string, options: MongoChannelStoreOptions = {}): Promise<MongoChannelStore> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000, appName: 'crossdock-channels' });
    const prefix = options.prefix ?? 'channel_';
    try {
      await client.connect();
      const db = client.db(options.dbName ?? `${client.db().databaseName}_channels`);
      const store = new MongoChannelStore(
        client,
        db.collection(`${prefix}interchanges`),
        db.collection(`${prefix}purchase_orders`),
        db.collection(`${prefix}documents`),
        db.collection(`${prefix}control_numbers`),
        db.collection(`${prefix}claims`),
        db.collection(`${prefix}webhooks`),
        new WorkList(db.collection<WorkEntry>(`${prefix}work`), options.claimMs ?? 60_000),
        db.collection(`${prefix}follow_ups`),
        options.claimMs ?? 60_000,
      );
      // Only the indexes a write needs or an operator's query uses: FerretDB recomputes every index of
      // a document on each write of it, and the loops no longer query these collections.
      await store.documentRows.createIndex({ key: 1 }, { unique: true });
      await store.purchaseOrders.createIndex({ orderId: 1 });
      await store.claims.createIndex({ at: 1 });
      await store.work.ensureIndexes();
      await store.listWaitingItems(db.collection<{ _id: string; at: string }>(`${prefix}migrations`));
      return store;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  async claimInterchange(record: InterchangeRecord): Promise<{ created: true } | { created: false; existing: InterchangeRecord }> {
    if (await this.insertOnce(this.interchanges, toRow(record))) return { created: true };
    const existing = await this.interchanges.findOne({ _id: record.id });
    if (!existing) throw new Error(`interchange ${record.id} is a duplicate but cannot be read`);
    return { created: false, existing: fromRow<InterchangeRecord>(existing) };
  }

  async finishInterchange(id: string, result: string): Promise<void> {
    await this.interchanges.updateOne({ _id: id }, { $set: { state: 'done', result } });
  }

  async claimPurchaseOrder(record: PurchaseOrderRecord, now: Date, staleMs: number) {
    if (await this.insertOnce(this.purchaseOrders, toRow(record))) return { status: 'claimed' as const, record };
    const found = await this.purchaseOrders.findOne({ _id: record.id });
    if (!found) throw new Error(`purchase order ${record.id} is a duplicate but cannot be read`);
    const existing = fromRow<PurchaseOrderRecord>(found);
    const next = mayReclaim(existing, now, staleMs);
    if (next === null) return { status: 'duplicate' as const, record: existing };
    // The attempt's own claim is the unique insert: of two resends racing, one proceeds.
    if (!(await this.insertOnce(this.claims, { _id: `po:${record.id}#${next}`, at: now.toISOString() }))) return { status: 'duplicate' as const, record: existing };
    const claimed: PurchaseOrderRecord = { ...record, attempt: next };
    await this.savePurchaseOrder(claimed);
    return { status: 'claimed' as const, record: claimed };
  }

  async savePurchaseOrder(record: PurchaseOrderRecord): Promise<void> {
    // Listed first: a PO whose record says it waits must be found. A retry's entry goes when the
    // loop next looks and finds the PO no longer queued (so a hot path's save never pays a delete).
    if (record.outcome === 'queued' && record.retry) await this.work.put('po-retry', record.id, record.retry.nextAttemptAt);
    if (record.outcome === 'accepted' && record.followUpsOpen) await this.followUps.replaceOne({ _id: record.id }, toRow(record), { upsert: true });
    await this.purchaseOrders.replaceOne({ _id: record.id }, toRow(record), { upsert: true });
  }

  async closeFollowUps(record: PurchaseOrderRecord): Promise<void> {
    await this.purchaseOrders.replaceOne({ _id: record.id }, toRow(record), { upsert: true });
    await this.followUps.deleteOne({ _id: record.id });
  }

  async purchaseOrder(id: string): Promise<PurchaseOrderRecord | null> {
    const found = await this.purchaseOrders.findOne({ _id: id });
    return found ? fromRow<PurchaseOrderRecord>(found) : null;
  }

  async purchaseOrdersByOrderIds(orderIds: readonly string[]): Promise<PurchaseOrderRecord[]> {
    return (await this.purchaseOrders.find({ orderId: { $in: [...orderIds] } }).toArray()).map((row) => fromRow<PurchaseOrderRecord>(row));
  }

  async claimDuePurchaseOrderRetries(now: Date, limit: number): Promise<PurchaseOrderRecord[]> {
    const rows = await this.claimFromWorkList('po-retry', now, limit, (id) => this.purchaseOrders.findOne({ _id: id }), (row) => (row.outcome === 'queued' && row.retry ? row.retry : null));
    return rows.map((row) => fromRow<PurchaseOrderRecord>(row));
  }

  async openFollowUps(limit: number): Promise<PurchaseOrderRecord[]> {
    return (await this.followUps.find({}).sort({ updatedAt: 1 }).limit(limit).toArray()).map((row) => fromRow<PurchaseOrderRecord>(row));
  }

  /**
   * The number after the last one this process knows, taken by its unique insert; when another
   * replica took it, the last one taken is looked up by `_id` (never by a query of the
   * collection, which grows with every document) and the next tried.
   */
  async nextControlNumber(partnerId: string): Promise<number> {
    if (!this.lastControl.has(partnerId)) this.noteControl(partnerId, await this.lastTakenControl(partnerId, 0));
    for (;;) {
      // Taken from the map at once: concurrent issues of this process try different numbers.
      const n = (this.lastControl.get(partnerId) ?? 0) + 1;
      this.lastControl.set(partnerId, n);
      if (await this.insertOnce(this.controls, { _id: controlId(partnerId, n), partnerId, n })) return n;
      this.noteControl(partnerId, await this.lastTakenControl(partnerId, n));
    }
  }

  async addDocument(document: EdiDocument): Promise<'inserted' | 'exists'> {
    const row: DocumentRow = { ...toRow(document), key: documentKey(document.partnerId, document.type, document.reference) };
    const queued = document.delivery.state === 'QUEUED';
    if (queued) await this.work.add('doc', document.id, document.delivery.nextAttemptAt);
    if (await this.insertOnce(this.documentRows, row)) return 'inserted';
    // Another document has this reference: this one (and its entry) never existed.
    if (queued) await this.work.remove('doc', document.id);
    return 'exists';
  }

  async documentByReference(partnerId: string, type: EdiDocumentType, reference: string): Promise<EdiDocument | null> {
    const found = await this.documentRows.findOne({ key: documentKey(partnerId, type, reference) });
    return found ? fromDocumentRow(found) : null;
  }

  async documents(ids: readonly string[]): Promise<(EdiDocument | null)[]> {
    // One `_id` lookup each: FerretDB answers `$in` by reading every document.
    const rows = await Promise.all(ids.map((id) => this.documentRows.findOne({ _id: id })));
    return rows.map((row) => (row ? fromDocumentRow(row) : null));
  }

  async listDocuments(filter: DocumentFilter, page: { first: number; after: string | null }): Promise<Page<EdiDocument>> {
    const query: Filter<DocumentRow> = {};
    if (filter.partnerIds) query.partnerId = { $in: [...filter.partnerIds] };
    if (filter.types && filter.types.length > 0) query.type = { $in: [...filter.types] };
    if (filter.orderId) query.orderId = filter.orderId;
    if (page.after) query._id = { $lt: page.after };
    const rows = await this.documentRows.find(query).sort({ _id: -1 }).limit(page.first + 1).toArray();
    const items = rows.slice(0, page.first).map(fromDocumentRow);
    return { items, nextCursor: rows.length > page.first ? (items[items.length - 1]?.id ?? null) : null };
  }

  async claimDueDocuments(now: Date, limit: number): Promise<EdiDocument[]> {
    const rows = await this.claimFromWorkList('doc', now, limit, (id) => this.documentRows.findOne({ _id: id }), ({ delivery }) => (delivery.state === 'QUEUED' ? delivery : null));
    return rows.map(fromDocumentRow);
  }

  async updateDelivery(id: string, delivery: DocumentDelivery): Promise<void> {
    const queued = delivery.state === 'QUEUED';
    if (queued) await this.work.put('doc', id, delivery.nextAttemptAt);
    await this.documentRows.updateOne({ _id: id }, { $set: { delivery } });
    if (!queued) await this.work.remove('doc', id);
  }

  async enqueueWebhook(delivery: WebhookDelivery): Promise<'inserted' | 'exists'> {
    // A redelivery of one processed already adds an entry the next look removes.
    await this.work.add('webhook', delivery.id, delivery.nextAttemptAt);
    return (await this.webhookInserts.insert(toRow(delivery))) ? 'inserted' : 'exists';
  }

  async claimDueWebhooks(now: Date, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.claimFromWorkList('webhook', now, limit, (id) => this.webhooks.findOne({ _id: id }), (row) => (row.state === 'PENDING' ? row : null));
    return rows.map((row) => fromRow<WebhookDelivery>(row));
  }

  async updateWebhook(delivery: WebhookDelivery): Promise<void> {
    const pending = delivery.state === 'PENDING';
    if (pending) await this.work.put('webhook', delivery.id, delivery.nextAttemptAt);
    await this.webhooks.replaceOne({ _id: delivery.id }, toRow(delivery));
    if (!pending) await this.work.remove('webhook', delivery.id);
  }

  async webhook(id: string): Promise<WebhookDelivery | null> {
    const found = await this.webhooks.findOne({ _id: id });
    return found ? fromRow<WebhookDelivery>(found) : null;
  }

  async sweepClaims(before: Date): Promise<number> {
    return (await this.claims.deleteMany({ at: { $lt: before.toISOString() } })).deletedCount;
  }

  async close(): Promise<void> {
    await this.work.flush();
    await this.webhookInserts.flush();
    await this.client.close();
  }

  /**
   * The items of `kind` due by `now` as the work list names them, each claimed for its attempt
   * by one caller only (a unique claim per attempt and claim window: a worker that died holding
   * one leaves it to another replica after the window).
   */
  private async claimFromWorkList<T extends { _id: string }>(
    kind: WorkKind,
    now: Date,
    limit: number,
    read: (id: string) => Promise<T | null>,
    /** The attempt the row waits for; null when it waits for none (done, failed for good). */
    attempt: (row: T) => { attempts: number; nextAttemptAt: string } | null,
  ): Promise<T[]> {
    const entries = await this.work.due(kind, now, limit);
    const due = await this.work.look(entries, now, read, (row): ItemSchedule => {
      const next = attempt(row);
      return next ? { state: 'waiting', nextAttemptAt: next.nextAttemptAt } : { state: 'done' };
    });
    const claimed = await Promise.all(
      due.map(async (row) => {
        const next = attempt(row);
        if (!next) return null;
        return (await this.insertOnce(this.claims, { _id: claimKey(kind, row._id, next, now, this.claimMs), at: now.toISOString() })) ? row : null;
      }),
    );
    return claimed.filter((row): row is Awaited<T> => row !== null);
  }

  /**
   * Once per database: puts what a store from before the work list left waiting (pending
   * webhooks, queued documents and POs, open follow-ups) on the list, so an upgrade strands
   * nothing. A full read of those collections, at one start only; replicas starting together
   * may both do it (every write is idempotent), one that dies midway is followed by the next.
   */
  private async listWaitingItems(migrations: Collection<{ _id: string; at: string }>): Promise<void> {
    if (await migrations.findOne({ _id: 'work-list' })) return;
    const [webhooks, documents, queued, open] = await Promise.all([
      this.webhooks.find({ state: 'PENDING' }).toArray(),
      this.documentRows.find({ 'delivery.state': 'QUEUED' }).toArray(),
      this.purchaseOrders.find({ outcome: 'queued' }).toArray(),
      this.purchaseOrders.find({ outcome: 'accepted', followUpsOpen: true }).toArray(),
    ]);
    await Promise.all([
      ...webhooks.map((row) => this.work.add('webhook', row._id, row.nextAttemptAt)),
      ...documents.map((row) => this.work.add('doc', row._id, row.delivery.nextAttemptAt)),
      ...queued.flatMap((row) => (row.retry ? [this.work.add('po-retry', row._id, row.retry.nextAttemptAt)] : [])),
      ...open.map((row) => this.followUps.replaceOne({ _id: row._id }, row, { upsert: true })),
    ]);
    await this.insertOnce(migrations, { _id: 'work-list', at: new Date().toISOString() });
  }

  private noteControl(partnerId: string, taken: number): void {
    this.lastControl.set(partnerId, Math.max(taken, this.lastControl.get(partnerId) ?? 0));
  }

  /** The last control number taken, by `_id` lookups from one known taken (0: none): doubling steps past it, then halving back. */
  private async lastTakenControl(partnerId: string, taken: number): Promise<number> {
    const isTaken = async (n: number) => (await this.controls.findOne({ _id: controlId(partnerId, n) }, { projection: { _id: 1 } })) !== null;
    let low = taken;
    let step = 1;
    while (await isTaken(low + step)) {
      low += step;
      step *= 2;
    }
    let high = low + step;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (await isTaken(middle)) low = middle;
      else high = middle;
    }
    return low;
  }

  /** Inserts rows in one unordered write; per row, false when its _id exists already. */
  private async insertMany<T extends { _id: string }>(collection: Collection<T>, rows: readonly T[]): Promise<boolean[]> {
    const inserted = rows.map(() => true);
    try {
      // The driver's OptionalUnlessRequiredId<T> is T itself for documents with a string _id.
      await collection.insertMany(rows as Parameters<Collection<T>['insertMany']>[0], { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const failures = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      for (const failure of failures) {
        if (failure.code !== DUPLICATE_KEY) throw error;
        inserted[failure.index] = false;
      }
    }
    return inserted;
  }

  /** Inserts; false when the _id (or another unique key) exists. */
  private async insertOnce<T extends { _id: string }>(collection: Collection<T>, row: T): Promise<boolean> {
    try {
      // The driver's OptionalUnlessRequiredId<T> is T itself for documents with a string _id.
      await collection.insertOne(row as Parameters<Collection<T>['insertOne']>[0]);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
}

function controlId(partnerId: string, n: number): string {
  return `${partnerId}:${n}`;
}

function documentKey(partnerId: string, type: string, reference: string): string {
  return `${partnerId}:${type}:${reference}`;
}

function toRow<T extends { id: string }>(value: T): Stored<T> {
  const { id, ...rest } = value;
  return { _id: id, ...rest };
}

function fromRow<T extends { id: string }>(row: Stored<T>): T {
  const { _id, ...rest } = row;
  // Stored<T> is T with `id` renamed to `_id`; putting it back restores T.
  return { id: _id, ...rest } as unknown as T;
}

function fromDocumentRow(row: DocumentRow): EdiDocument {
  const { key: _key, ...rest } = row;
  return fromRow<EdiDocument>(rest);
}
