import { MongoBulkWriteError, MongoClient, MongoServerError, type Collection, type Filter } from 'mongodb';
import { InsertBatcher } from './insert-batcher';
import { claimKey, mayReclaim } from './claims';
import type { ChannelStore, DocumentDelivery, DocumentFilter, EdiDocument, EdiDocumentType, InterchangeRecord, Page, PurchaseOrderRecord, WebhookDelivery } from './ports';

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

/** The channel store on MongoDB (FerretDB in tests): every once-only step is a unique insert. */
export class MongoChannelStore implements ChannelStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly interchanges: Collection<Stored<InterchangeRecord>>,
    private readonly purchaseOrders: Collection<Stored<PurchaseOrderRecord>>,
    private readonly documentRows: Collection<DocumentRow>,
    private readonly controls: Collection<ControlRow>,
    private readonly claims: Collection<ClaimRow>,
    private readonly webhooks: Collection<Stored<WebhookDelivery>>,
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
        options.claimMs ?? 60_000,
      );
      await store.documentRows.createIndex({ key: 1 }, { unique: true });
      await store.documentRows.createIndex({ 'delivery.state': 1, 'delivery.nextAttemptAt': 1 });
      await store.purchaseOrders.createIndex({ orderId: 1 });
      await store.webhooks.createIndex({ state: 1, nextAttemptAt: 1 });
      await store.controls.createIndex({ partnerId: 1, n: -1 });
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
    await this.purchaseOrders.replaceOne({ _id: record.id }, toRow(record), { upsert: true });
  }

  async purchaseOrder(id: string): Promise<PurchaseOrderRecord | null> {
    const found = await this.purchaseOrders.findOne({ _id: id });
    return found ? fromRow<PurchaseOrderRecord>(found) : null;
  }

  async purchaseOrdersByOrderIds(orderIds: readonly string[]): Promise<PurchaseOrderRecord[]> {
    return (await this.purchaseOrders.find({ orderId: { $in: [...orderIds] } }).toArray()).map((row) => fromRow<PurchaseOrderRecord>(row));
  }

  async openFollowUps(limit: number): Promise<PurchaseOrderRecord[]> {
    return (await this.purchaseOrders.find({ followUpsOpen: true, outcome: 'accepted' }).sort({ updatedAt: 1 }).limit(limit).toArray()).map((row) => fromRow<PurchaseOrderRecord>(row));
  }

  async nextControlNumber(partnerId: string): Promise<number> {
    for (;;) {
      const [last] = await this.controls.find({ partnerId }).sort({ n: -1 }).limit(1).toArray();
      const n = (last?.n ?? 0) + 1;
      if (await this.insertOnce(this.controls, { _id: `${partnerId}:${n}`, partnerId, n })) return n;
    }
  }

  async addDocument(document: EdiDocument): Promise<'inserted' | 'exists'> {
    const row: DocumentRow = { ...toRow(document), key: documentKey(document.partnerId, document.type, document.reference) };
    return (await this.insertOnce(this.documentRows, row)) ? 'inserted' : 'exists';
  }

  async documentByReference(partnerId: string, type: EdiDocumentType, reference: string): Promise<EdiDocument | null> {
    const found = await this.documentRows.findOne({ key: documentKey(partnerId, type, reference) });
    return found ? fromDocumentRow(found) : null;
  }

  async documents(ids: readonly string[]): Promise<(EdiDocument | null)[]> {
    const rows = await this.documentRows.find({ _id: { $in: [...ids] } }).toArray();
    const byId = new Map(rows.map((row) => [row._id, fromDocumentRow(row)]));
    return ids.map((id) => byId.get(id) ?? null);
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
    const due = await this.documentRows
      .find({ 'delivery.state': 'QUEUED', 'delivery.nextAttemptAt': { $lte: now.toISOString() } })
      .sort({ 'delivery.nextAttemptAt': 1 })
      .limit(limit)
      .toArray();
    const claimed: EdiDocument[] = [];
    for (const row of due) {
      if (await this.insertOnce(this.claims, { _id: claimKey('doc', row._id, row.delivery, now, this.claimMs), at: now.toISOString() })) claimed.push(fromDocumentRow(row));
    }
    return claimed;
  }

  async updateDelivery(id: string, delivery: DocumentDelivery): Promise<void> {
    await this.documentRows.updateOne({ _id: id }, { $set: { delivery } });
  }

  async enqueueWebhook(delivery: WebhookDelivery): Promise<'inserted' | 'exists'> {
    return (await this.webhookInserts.insert(toRow(delivery))) ? 'inserted' : 'exists';
  }

  async claimDueWebhooks(now: Date, limit: number): Promise<WebhookDelivery[]> {
    const due = await this.webhooks.find({ state: 'PENDING', nextAttemptAt: { $lte: now.toISOString() } }).sort({ nextAttemptAt: 1 }).limit(limit).toArray();
    const claimed: WebhookDelivery[] = [];
    for (const row of due) {
      if (await this.insertOnce(this.claims, { _id: claimKey('webhook', row._id, row, now, this.claimMs), at: now.toISOString() })) claimed.push(fromRow<WebhookDelivery>(row));
    }
    return claimed;
  }

  async updateWebhook(delivery: WebhookDelivery): Promise<void> {
    await this.webhooks.replaceOne({ _id: delivery.id }, toRow(delivery));
  }

  async webhook(id: string): Promise<WebhookDelivery | null> {
    const found = await this.webhooks.findOne({ _id: id });
    return found ? fromRow<WebhookDelivery>(found) : null;
  }

  async close(): Promise<void> {
    await this.webhookInserts.flush();
    await this.client.close();
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
