import { afterEach, describe, expect, it } from '@jest/globals';
import { Binary, BSON, MongoClient } from 'mongodb';
import { applyStatus, MongoOrderStore, OrderStoreUnavailableError, OutboxWorker, type OrderKeyDocument, type OrderStore, type OutboxEntryDocument, type RevisionDocument } from '../src';
import { revisionBytes, toOrderDocument, type LegacyOrderDocument, type OrderDetail, type OrderDocument, type StoredOrderDocument } from '../src/order-document';
import { at, fakeBackend, markAttemptFailed, markPosted, placedOrder, T0, type FakeBackend } from './fixtures';
import { useFerretDb } from './mongo-fixture';

describe('MongoOrderStore crash safety on FerretDB', () => {
  const { server } = useFerretDb();
  const open: OrderStore[] = [];
  let databases = 0;
  const freshDb = () => `crash_${process.pid}_${(databases += 1)}`;
  const connect = async (dbName: string, abandonedRevisionMs?: number) => {
    const store = await MongoOrderStore.connect(server().url, { dbName, serverSelectionTimeoutMS: 2_000, abandonedRevisionMs });
    open.push(store);
    return store;
  };
  const outbox = (store: OrderStore, erp: FakeBackend, leaseMs = 30_000) =>
    new OutboxWorker({ store, posters: { erp: erp.poster }, policy: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 }, intervalMs: 50, leaseMs, batchSize: 10 });

  const clients: MongoClient[] = [];
  /** The database as any MongoDB client sees it, to look at or plant what the store keeps. */
  const rawDb = async (dbName: string) => {
    const client = await MongoClient.connect(server().url);
    clients.push(client);
    return client.db(dbName);
  };

  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('posts an order stored just before the hub crashed exactly once after a restart', async () => {
    const dbName = freshDb();
    const beforeCrash = await connect(dbName);
    const order = placedOrder();
    expect(await beforeCrash.insert(order)).toBe('inserted');
    await beforeCrash.close(); // the crash: stored, never posted

    const erp = fakeBackend('SO');
    const afterRestart = outbox(await connect(dbName), erp);
    await afterRestart.runOnce(T0);
    await afterRestart.runOnce(at(3_600_000));
    expect(erp.calls).toEqual([order.id]);
  });

  it('posts again only after the lease of a worker that died mid-posting expired', async () => {
    const dbName = freshDb();
    const dying = await connect(dbName);
    const order = placedOrder();
    await dying.insert(order);
    expect(await dying.claimDue('erp', T0, 10_000, 10)).toHaveLength(1);
    await dying.close(); // died holding the lease, before marking

    const erp = fakeBackend('SO');
    const survivor = outbox(await connect(dbName), erp);
    expect(await survivor.runOnce(at(9_999))).toMatchObject({ claimed: 0 });
    expect(await survivor.runOnce(at(10_000))).toMatchObject({ claimed: 1, posted: 1 });
    expect(await survivor.runOnce(at(60_000))).toMatchObject({ claimed: 0 });
    expect(erp.calls).toEqual([order.id]);
  });

  it.each([
    ['as BSON bytes', revisionBytes],
    ['as a document (records written before the bytes)', (doc: OrderDocument) => doc],
  ])('completes a change whose writer died between recording the revision and writing the order (the order %s)', async (_format, encode) => {
    const dbName = freshDb();
    const store = await connect(dbName, 1_000);
    const order = placedOrder();
    await store.insert(order);
    const db = await rawDb(dbName);
    const cancelled = applyStatus(order, 'CANCELLED', { at: T0, reason: 'crash drill' });
    const pending: RevisionDocument = { _id: `${order.id}@1`, orderId: order.id, revision: 1, recordedAt: new Date(Date.now() - 60_000), order: encode(toOrderDocument(cancelled, 1)) };
    await db.collection<RevisionDocument>('orders_revisions').insertOne(pending);
    expect((await store.get([order.id]))[0]?.status).toBe('ACCEPTED');

    await markPosted(store, order.id, 'erp', 'SO-1', T0);
    const [after] = await store.get([order.id]);
    expect(after).toMatchObject({ status: 'CANCELLED', cancelReason: 'crash drill' });
    expect(after?.postings.erp).toMatchObject({ state: 'POSTED', reference: 'SO-1' });
    const records = db.collection<RevisionDocument>('orders_revisions');
    // The dead writer's record went with its completion; the one just committed is held a while.
    expect((await records.find({}).toArray()).map((record) => record._id)).toEqual([`${order.id}@2`]);
  });

  it('stores the order\'s facts as fields and its lines, allocations and postings as one BSON value, and reads orders stored with every field a document', async () => {
    const dbName = freshDb();
    const store = await connect(dbName);
    const db = await rawDb(dbName);
    const orders = db.collection<StoredOrderDocument>('orders');
    const order = placedOrder();
    await store.insert(order);
    const stored = await orders.findOne({ _id: order.id });
    expect(stored).toEqual({
      _id: order.id,
      revision: 0,
      idempotencyKey: order.idempotencyKey,
      channel: order.channel,
      externalRef: order.externalRef,
      customerId: order.customerId,
      placedAt: new Date(order.placedAt),
      status: 'ACCEPTED',
      total: order.total,
      cancelledAt: null,
      cancelReason: null,
      detail: expect.any(Binary),
    });
    expect(BSON.deserialize((stored as OrderDocument).detail.buffer)).toMatchObject({ lines: [expect.objectContaining({ sku: order.lines[0]?.sku })], postings: { erp: { state: 'QUEUED' } } });

    // An order written before the detail was bytes.
    const old = placedOrder();
    const { detail, ...facts } = toOrderDocument(old, 0);
    const legacy: LegacyOrderDocument = { ...facts, ...(BSON.deserialize(detail.buffer) as OrderDetail) };
    await orders.insertOne(legacy);
    expect(await store.get([old.id])).toEqual([old]);
    await markPosted(store, old.id, 'erp', 'SO-7', T0);
    const changed = await orders.findOne({ _id: old.id });
    expect(changed).not.toHaveProperty('postings');
    expect((await store.get([old.id]))[0]?.postings.erp).toMatchObject({ state: 'POSTED', reference: 'SO-7' });
  });

  it('holds a committed revision record, so a writer that knew the revision before it is refused without reading the order', async () => {
    const dbName = freshDb();
    const [store, other] = [await connect(dbName), await connect(dbName)];
    const db = await rawDb(dbName);
    const order = placedOrder();
    await store.insert(order);
    // The other replica commits revision 1 while `store` still guesses revision 0 (its insert).
    await other.updateStatus(order.id, 'ALLOCATED');
    expect(await db.collection('orders_revisions').countDocuments({ _id: `${order.id}@1` as unknown as never })).toBe(1);
    await markAttemptFailed(store, order.id, 'erp', 'reset', at(1_000), false);
    expect((await other.get([order.id]))[0]).toMatchObject({ status: 'ALLOCATED', postings: { erp: { state: 'QUEUED', attempts: 1 } } });
  });

  it('leaves held revision records behind when it stops, and the next start removes the committed ones, not one whose change never reached the order', async () => {
    const dbName = freshDb();
    const store = await connect(dbName);
    const db = await rawDb(dbName);
    const [committed, pending] = [placedOrder(), placedOrder()];
    await store.insert(committed);
    await store.insert(pending);
    await markPosted(store, committed.id, 'erp', 'SO-1', T0);
    await store.close();
    const records = db.collection<RevisionDocument>('orders_revisions');
    // Still held when the store stopped: removed then, it would no longer shut out a writer on another replica.
    expect((await records.find({}).toArray()).map((left) => left._id)).toEqual([`${committed.id}@1`]);
    // Another writer died before writing its change.
    await records.insertOne({ _id: `${pending.id}@1`, orderId: pending.id, revision: 1, recordedAt: new Date(Date.now() - 60_000), order: revisionBytes(toOrderDocument(pending, 1)) });

    await new Promise((resolve) => setTimeout(resolve, 150));
    await connect(dbName, 100); // records older than 100 ms are a dead writer's
    expect((await records.find({}).toArray()).map((left) => left._id)).toEqual([`${pending.id}@1`]);
  });

  it('reads the stored revision before writing when it knew the revision for longer than a record is held', async () => {
    const dbName = freshDb();
    // Records held for a quarter of this: 50 ms.
    const [store, other] = [await connect(dbName, 200), await connect(dbName, 200)];
    const db = await rawDb(dbName);
    const order = placedOrder();
    await store.insert(order);
    await other.updateStatus(order.id, 'ALLOCATED');
    const records = db.collection('orders_revisions');
    // The other replica's record is gone: only the read of the stored revision can stop `store`.
    for (let waited = 0; (await records.countDocuments()) > 0; waited += 10) {
      if (waited > 5_000) throw new Error('the held revision record was never removed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await markAttemptFailed(store, order.id, 'erp', 'reset', at(1_000), false);
    expect((await other.get([order.id]))[0]).toMatchObject({ status: 'ALLOCATED', postings: { erp: { state: 'QUEUED', attempts: 1 } } });
  });

  it('keeps the outbox work list to QUEUED postings: one entry per order, leftovers of a crash corrected by the next claim, a leased posting steps aside', async () => {
    const dbName = freshDb();
    const store = await connect(dbName, 1_000);
    const db = await rawDb(dbName);
    const entries = db.collection<OutboxEntryDocument>('orders_outbox');
    const [posted, leased] = [placedOrder(), placedOrder()];
    await store.insert(posted);
    await store.insert(leased);
    expect(await entries.find({}).sort({ _id: 1 }).toArray()).toEqual(
      [posted, leased]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((order) => expect.objectContaining({ _id: order.id, orderId: order.id, due: { erp: T0, wms: T0, commerce: T0 } })),
    );
    await markPosted(store, posted.id, 'erp', 'SO-1', T0);
    expect(await entries.findOne({ _id: posted.id })).toMatchObject({ due: { wms: T0, commerce: T0 } });
    expect(await entries.countDocuments({ 'due.erp': { $exists: true } })).toBe(1);
    // A writer that died between marking a posting and correcting the entry left it naming erp.
    await entries.updateOne({ _id: posted.id }, { $set: { 'due.erp': T0 } });
    // And an entry whose order was never written at all.
    await entries.insertOne({ _id: 'ORD-GONE', orderId: 'ORD-GONE', due: { erp: T0 }, placedAt: T0, writtenAt: new Date(Date.now() - 60_000) });
    expect(await store.claim(leased.id, ['erp'], T0, 30_000)).not.toBeNull();

    expect(await store.claimDue('erp', at(1_000), 30_000, 10)).toEqual([]);
    expect(await entries.find({ 'due.erp': { $exists: true } }).toArray()).toEqual([expect.objectContaining({ _id: leased.id, due: { erp: at(30_000), wms: T0, commerce: T0 } })]);
    expect(await entries.findOne({ _id: posted.id })).toMatchObject({ due: { wms: T0, commerce: T0 } });
    expect((await store.depth(at(1_000))).erp.queued).toBe(1);
    expect((await store.claimDue('erp', at(30_000), 30_000, 10)).map((o) => o.id)).toEqual([leased.id]);

    // The entry goes with the order's last QUEUED posting.
    await markPosted(store, posted.id, 'wms', null, T0);
    await markPosted(store, posted.id, 'commerce', null, T0);
    expect(await entries.findOne({ _id: posted.id })).toBeNull();
  });

  it('removes a posting given up on from the work list, and gives it an entry of its own when an operator requeues it', async () => {
    const dbName = freshDb();
    const store = await connect(dbName);
    const db = await rawDb(dbName);
    const entries = db.collection<OutboxEntryDocument>('orders_outbox');
    const order = placedOrder();
    await store.insert(order);
    await markPosted(store, order.id, 'wms', null, T0);
    await markPosted(store, order.id, 'commerce', null, T0);
    await store.recordAttempts(order.id, [{ target: 'erp', outcome: 'failed', error: 'HTTP 422', nextAttemptAt: T0, giveUp: true }]);
    // Nothing QUEUED: the order's entry is gone.
    expect(await entries.countDocuments()).toBe(0);
    expect(await store.claimDue('erp', at(3_600_000), 30_000, 10)).toEqual([]);

    expect(await store.requeueFailed(order.id, 'erp', at(1_000))).toBe('requeued');
    expect(await entries.find({ 'due.erp': { $exists: true } }).toArray()).toEqual([expect.objectContaining({ _id: `${order.id}|erp`, due: { erp: at(1_000) } })]);
    expect((await store.claimDue('erp', at(1_000), 30_000, 10)).map((o) => o.id)).toEqual([order.id]);

    // Failing again, the requeued posting's own entry follows its next attempt (the order's is gone).
    await store.recordAttempts(order.id, [{ target: 'erp', outcome: 'failed', error: 'HTTP 503', nextAttemptAt: at(5_000), giveUp: false }]);
    expect(await entries.findOne({ _id: `${order.id}|erp` })).toMatchObject({ due: { erp: at(5_000) } });
  });

  it('converts the work list entries of a store written with one entry per posting', async () => {
    const dbName = freshDb();
    const db = await rawDb(dbName);
    const first = await connect(dbName);
    const order = placedOrder();
    await first.insert(order);
    await first.close();
    const raw = db.collection('orders_outbox');
    await raw.deleteMany({});
    await raw.insertOne({ _id: `${order.id}|wms` as unknown as never, orderId: order.id, target: 'wms', nextAttemptAt: T0, placedAt: T0, writtenAt: T0 });
    await raw.createIndex({ target: 1, nextAttemptAt: 1 }, { name: 'target_due' });

    const store = await connect(dbName);
    expect(await raw.findOne({ _id: `${order.id}|wms` as unknown as never })).toEqual({ _id: `${order.id}|wms`, orderId: order.id, due: { wms: T0 }, placedAt: T0, writtenAt: T0 });
    expect(await raw.indexExists('target_due')).toBe(false);
    expect((await store.claimDue('wms', at(30_000), 30_000, 10)).map((o) => o.id)).toEqual([order.id]);
  });

  it('finds an order by its idempotency key by id lookups, and repairs a key that names a lost order', async () => {
    const dbName = freshDb();
    const store = await connect(dbName);
    const db = await rawDb(dbName);
    const order = placedOrder();
    await store.insert(order);
    expect(await store.getByIdempotencyKey(order.idempotencyKey)).toEqual(order);
    const keys = db.collection<OrderKeyDocument>('orders_keys');
    // A loser of a race for the key pointed it at its own order, which was never stored.
    await keys.replaceOne({ _id: order.idempotencyKey }, { orderId: 'ORD-LOST' });
    expect(await store.getByIdempotencyKey(order.idempotencyKey)).toEqual(order);
    expect(await keys.findOne({ _id: order.idempotencyKey })).toEqual({ _id: order.idempotencyKey, orderId: order.id });
    expect(await store.getByIdempotencyKey('web:never-used')).toBeNull();
  });

  it('fails with a clear error while the database is down and recovers after it restarts', async () => {
    const dbName = freshDb();
    const store = await connect(dbName);
    const order = placedOrder();
    await store.insert(order);
    const erp = fakeBackend('SO');
    const worker = outbox(store, erp);

    await server().kill();
    await expect(store.get([order.id])).rejects.toBeInstanceOf(OrderStoreUnavailableError);
    await expect(store.insert(placedOrder())).rejects.toThrow(/^order store at 127\.0\.0\.1:\d+ is unavailable \(insert\)/);
    await expect(worker.runOnce(T0)).rejects.toBeInstanceOf(OrderStoreUnavailableError);
    await expect(MongoOrderStore.connect(server().url, { dbName, serverSelectionTimeoutMS: 500 })).rejects.toBeInstanceOf(OrderStoreUnavailableError);
    expect(erp.calls).toEqual([]);

    await server().restart();
    expect(await store.get([order.id])).toEqual([order]);
    expect(await worker.runOnce(T0)).toMatchObject({ posted: 1 });
    expect(erp.calls).toEqual([order.id]);
  });
});
