import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot, startFerretDb, type BackingService } from '@crossdock/testkit';
import { MongoClient } from 'mongodb';
import { join } from 'node:path';
import { poAcknowledgmentSet } from '@crossdock/edi';
import { EdiDocuments, loadChannelConfig, MongoChannelStore, type DocumentRequest } from '../src';
import { document, now, purchaseOrder, webhook } from './store-records';

// The background loops of MongoChannelStore find their work in `channel_work`, a list of the due
// items only, never by querying the webhooks, documents or POs (FerretDB reads every document of
// a collection for such a query). These tests hold the list to its promise: an entry for every
// item that waits, none left for one that is done, and a claim per attempt across replicas.

let ferret: BackingService | undefined;
let client: MongoClient | undefined;
let databases = 0;
const opened: MongoChannelStore[] = [];

beforeAll(async () => {
  ferret = await startFerretDb();
  client = new MongoClient(ferret.url);
  await client.connect();
}, 120_000);
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await client?.close();
  await ferret?.stop();
});

/** One database, and `replicas` stores on it (each its own connection, as processes would have). */
interface Replicas {
  stores: MongoChannelStore[];
  /** The work list's entries, by id. */
  workList: () => Promise<{ _id: string; nextAttemptAt: string }[]>;
  /** The ids of the POs listed for 856/810. */
  followUpList: () => Promise<string[]>;
}

async function openReplicas(replicas: number, claimMs = 60_000): Promise<Replicas> {
  if (!ferret || !client) throw new Error('FerretDB not started');
  const dbName = `work_${process.pid}_${(databases += 1)}`;
  const url = ferret.url;
  const stores = await Promise.all(Array.from({ length: replicas }, () => MongoChannelStore.connect(url, { dbName, claimMs, serverSelectionTimeoutMS: 2_000 })));
  opened.push(...stores);
  const work = client.db(dbName).collection<{ _id: string; nextAttemptAt: string }>('channel_work');
  const followUps = client.db(dbName).collection<{ _id: string }>('channel_follow_ups');
  return {
    stores,
    workList: () => work.find({}, { projection: { _id: 1, nextAttemptAt: 1 } }).sort({ _id: 1 }).toArray(),
    followUpList: async () => (await followUps.find({}, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((row) => row._id),
  };
}

const at = (ms: number) => new Date(now.getTime() + ms);

describe('the channel store work list (FerretDB)', () => {
  it('lists a webhook while it waits and drops it once processed; a retry moves to its new time', async () => {
    const { stores, workList } = await openReplicas(1);
    const [store] = stores as [MongoChannelStore];
    await Promise.all(['shopify:w1', 'shopify:w2', 'shopify:w3'].map((id) => store.enqueueWebhook(webhook(id))));
    expect((await workList()).map((e) => e._id)).toEqual(['webhook:shopify:w1', 'webhook:shopify:w2', 'webhook:shopify:w3']);
    const claimed = await store.claimDueWebhooks(now, 10);
    expect(claimed.map((w) => w.id).sort()).toEqual(['shopify:w1', 'shopify:w2', 'shopify:w3']);

    await store.updateWebhook({ ...webhook('shopify:w1'), state: 'DONE', attempts: 1, outcome: 'order ORD-1' });
    await store.updateWebhook({ ...webhook('shopify:w2'), state: 'FAILED', attempts: 1, lastError: 'bad payload' });
    await store.updateWebhook({ ...webhook('shopify:w3'), attempts: 1, nextAttemptAt: at(60_000).toISOString(), lastError: 'order capture unavailable' });
    expect(await workList()).toEqual([{ _id: 'webhook:shopify:w3', nextAttemptAt: at(60_000).toISOString() }]);

    expect(await store.claimDueWebhooks(at(30_000), 10)).toEqual([]);
    expect((await store.claimDueWebhooks(at(60_000), 10)).map((w) => [w.id, w.attempts])).toEqual([['shopify:w3', 1]]);
    await store.updateWebhook({ ...webhook('shopify:w3'), state: 'DONE', attempts: 2, outcome: 'order ORD-3' });
    expect(await workList()).toEqual([]);
    // Stored and processed, the deliveries themselves are all still there.
    expect((await store.webhook('shopify:w2'))?.state).toBe('FAILED');
  });

  it('a redelivery of a processed webhook leaves no entry behind once looked at', async () => {
    const { stores, workList } = await openReplicas(1);
    const [store] = stores as [MongoChannelStore];
    await store.enqueueWebhook(webhook('shopify:r1'));
    await store.updateWebhook({ ...webhook('shopify:r1'), state: 'DONE', attempts: 1, outcome: 'order ORD-1' });
    expect(await store.enqueueWebhook(webhook('shopify:r1'))).toBe('exists');
    expect(await store.claimDueWebhooks(now, 10)).toEqual([]);
    expect(await workList()).toEqual([]);
  });

  it('lists only documents queued for delivery, until delivered; a duplicate leaves no entry', async () => {
    const { stores, workList } = await openReplicas(1);
    const [store] = stores as [MongoChannelStore];
    await store.addDocument(document('EDD-1'));
    await store.addDocument(document('EDD-2', { delivery: { state: 'PULL', attempts: 0, nextAttemptAt: now.toISOString(), lastError: null, deliveredAt: null } }));
    expect(await store.addDocument(document('EDD-3', { reference: 'EDD-1' }))).toBe('exists');
    expect((await workList()).map((e) => e._id)).toEqual(['doc:EDD-1']);

    expect((await store.claimDueDocuments(now, 10)).map((d) => d.id)).toEqual(['EDD-1']);
    await store.updateDelivery('EDD-1', { state: 'QUEUED', attempts: 1, nextAttemptAt: at(5_000).toISOString(), lastError: 'HTTP 503', deliveredAt: null });
    expect(await workList()).toEqual([{ _id: 'doc:EDD-1', nextAttemptAt: at(5_000).toISOString() }]);
    expect((await store.claimDueDocuments(at(5_000), 10)).map((d) => d.delivery.attempts)).toEqual([1]);
    await store.updateDelivery('EDD-1', { state: 'DELIVERED', attempts: 2, nextAttemptAt: at(5_000).toISOString(), lastError: null, deliveredAt: at(6_000).toISOString() });
    expect(await workList()).toEqual([]);
    // A failed one requeued by an operator is on the list again.
    await store.updateDelivery('EDD-1', { state: 'QUEUED', attempts: 0, nextAttemptAt: at(7_000).toISOString(), lastError: null, deliveredAt: null });
    expect((await store.claimDueDocuments(at(7_000), 10)).map((d) => d.id)).toEqual(['EDD-1']);
  });

  it('a replica that dies holding a claim leaves the item to another replica after the claim window', async () => {
    const claimMs = 1_000;
    const { stores, workList } = await openReplicas(2, claimMs);
    const [a, b] = stores as [MongoChannelStore, MongoChannelStore];
    await a.enqueueWebhook(webhook('shopify:c1'));
    await a.addDocument(document('EDD-C1'));
    // Replica a claims both and dies before it records anything.
    expect((await a.claimDueWebhooks(now, 10)).map((w) => w.id)).toEqual(['shopify:c1']);
    expect((await a.claimDueDocuments(now, 10)).map((d) => d.id)).toEqual(['EDD-C1']);
    await a.close();
    opened.splice(opened.indexOf(a), 1);
    // Within the window the claims hold; the items wait on the list.
    expect(await b.claimDueWebhooks(at(claimMs / 2), 10)).toEqual([]);
    expect(await b.claimDueDocuments(at(claimMs / 2), 10)).toEqual([]);
    expect((await workList()).map((e) => e._id)).toEqual(['doc:EDD-C1', 'webhook:shopify:c1']);
    // In the next window replica b takes them over, once each.
    const [webhooks, again] = await Promise.all([b.claimDueWebhooks(at(claimMs), 10), b.claimDueWebhooks(at(claimMs), 10)]);
    expect([...webhooks, ...again].map((w) => w.id)).toEqual(['shopify:c1']);
    expect((await b.claimDueDocuments(at(claimMs), 10)).map((d) => d.id)).toEqual(['EDD-C1']);
    await b.updateWebhook({ ...webhook('shopify:c1'), state: 'DONE', attempts: 1, outcome: 'order ORD-C1' });
    await b.updateDelivery('EDD-C1', { state: 'DELIVERED', attempts: 1, nextAttemptAt: now.toISOString(), lastError: null, deliveredAt: at(claimMs).toISOString() });
    expect(await workList()).toEqual([]);
  });

  it('lists a queued PO until it is retried and placed, and an accepted one until its follow-ups close', async () => {
    const { stores, workList, followUpList } = await openReplicas(2);
    const [a, b] = stores as [MongoChannelStore, MongoChannelStore];
    const retry = { attempts: 1, nextAttemptAt: at(2_000).toISOString(), lastError: 'WMS down', setControlNumber: '0001', raw: 'ISA…' };
    await a.savePurchaseOrder(purchaseOrder({ id: 'acme:Q1', poNumber: 'Q1', outcome: 'queued', retry }));
    await a.savePurchaseOrder(purchaseOrder({ id: 'acme:A1', poNumber: 'A1', outcome: 'accepted', orderId: 'ORD-A1', followUpsOpen: true }));
    await a.savePurchaseOrder(purchaseOrder({ id: 'acme:R1', poNumber: 'R1', outcome: 'rejected' }));
    expect((await workList()).map((e) => e._id)).toEqual(['po-retry:acme:Q1']);
    expect(await followUpList()).toEqual(['acme:A1']);

    expect(await a.claimDuePurchaseOrderRetries(now, 10)).toEqual([]);
    const [one, other] = await Promise.all([a.claimDuePurchaseOrderRetries(at(2_000), 10), b.claimDuePurchaseOrderRetries(at(2_000), 10)]);
    expect([...one, ...other].map((po) => po.id)).toEqual(['acme:Q1']);
    await a.savePurchaseOrder(purchaseOrder({ id: 'acme:Q1', poNumber: 'Q1', outcome: 'accepted', orderId: 'ORD-Q1', retry: null, followUpsOpen: true, updatedAt: at(3_000).toISOString() }));
    // The entry goes at the next look, which finds nothing to retry.
    expect(await b.claimDuePurchaseOrderRetries(at(4_000), 10)).toEqual([]);
    expect(await workList()).toEqual([]);

    expect((await b.openFollowUps(10)).map((po) => po.id)).toEqual(['acme:A1', 'acme:Q1']);
    await b.closeFollowUps(purchaseOrder({ id: 'acme:A1', poNumber: 'A1', outcome: 'accepted', orderId: 'ORD-A1', followUpsOpen: false }));
    expect((await a.openFollowUps(10)).map((po) => po.id)).toEqual(['acme:Q1']);
    expect(await followUpList()).toEqual(['acme:Q1']);
    expect(await a.purchaseOrder('acme:A1')).toMatchObject({ outcome: 'accepted', followUpsOpen: false });
  });

  it('removes an entry whose item was never stored (a crash between the two writes) once it is old', async () => {
    const { stores, workList } = await openReplicas(1, 1_000);
    const [store] = stores as [MongoChannelStore];
    if (!client) throw new Error('no client');
    const dbName = `work_${process.pid}_${databases}`;
    const writtenAt = new Date(Date.now() - 500).toISOString();
    await client.db(dbName).collection<{ _id: string; kind: string; itemId: string; nextAttemptAt: string; writtenAt: string }>('channel_work').insertOne({ _id: 'webhook:shopify:lost', kind: 'webhook', itemId: 'shopify:lost', nextAttemptAt: now.toISOString(), writtenAt });
    // Young: its item may be a write in flight, so it stays.
    expect(await store.claimDueWebhooks(new Date(), 10)).toEqual([]);
    expect((await workList()).map((e) => e._id)).toEqual(['webhook:shopify:lost']);
    expect(await store.claimDueWebhooks(new Date(Date.now() + 1_000), 10)).toEqual([]);
    expect(await workList()).toEqual([]);
  });

  it('hands out control numbers once across replicas, in sequence, and a new process continues after the last', async () => {
    const { stores } = await openReplicas(2);
    const [a, b] = stores as [MongoChannelStore, MongoChannelStore];
    const numbers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).nextControlNumber('acme')));
    expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Replica a fell behind by b's numbers; it finds the last one taken and goes on from there.
    expect(await b.nextControlNumber('acme')).toBe(21);
    expect(await a.nextControlNumber('acme')).toBe(22);
    if (!ferret) throw new Error('FerretDB not started');
    const restarted = await MongoChannelStore.connect(ferret.url, { dbName: `work_${process.pid}_${databases}`, serverSelectionTimeoutMS: 2_000 });
    opened.push(restarted);
    expect(await restarted.nextControlNumber('acme')).toBe(23);
    expect(await restarted.nextControlNumber('other')).toBe(1);
  });

  it('a document issued as fresh whose reference exists after all (a crashed attempt taken over) is the first one, stored once', async () => {
    const { stores } = await openReplicas(1);
    const [store] = stores as [MongoChannelStore];
    const config = loadChannelConfig(join(repoRoot(), 'config'), { SHOPIFY_WEBHOOK_SECRET: 'test', TRADEWIND_WEBHOOK_SECRET: 'test' });
    const partner = config.partners.find((p) => p.id === 'acme-retail');
    if (!partner) throw new Error('config/partners has no acme-retail');
    let queued = 0;
    const documents = new EdiDocuments(store, () => (queued += 1));
    const set = poAcknowledgmentSet({ poNumber: 'PO-CRASHED', poDate: '2026-11-26', orderId: null, at: now, lines: [] });
    const request: DocumentRequest = { partner: { ...partner, delivery: { url: 'http://127.0.0.1:9/inbox', headers: {} } }, type: '855', reference: 'PO-CRASHED', orderId: null, status: 'AT', sets: [set], fresh: true };
    const first = await documents.issue(request);
    const again = await documents.issue(request);
    expect(again.id).toBe(first.id);
    expect(again.body).toBe(first.body);
    expect((await store.listDocuments({ partnerIds: ['acme-retail'] }, { first: 10, after: null })).items.map((d) => d.id)).toEqual([first.id]);
    // Only the first was queued (and woke the delivery worker); the second only spent a control number.
    expect(queued).toBe(1);
    expect(await store.nextControlNumber('acme-retail')).toBe(3);
  });

  it('lists at its first start what a store from before the work list left waiting, so an upgrade strands nothing', async () => {
    if (!ferret || !client) throw new Error('FerretDB not started');
    const dbName = `work_${process.pid}_${(databases += 1)}`;
    const db = client.db(dbName);
    // As the store without a work list left them: the items alone.
    const { id: webhookId, ...webhookRow } = webhook('shopify:old');
    const { id: documentId, ...documentRow } = document('EDD-OLD');
    const retry = { attempts: 1, nextAttemptAt: now.toISOString(), lastError: 'WMS down', setControlNumber: '0001', raw: 'ISA…' };
    const { id: queuedId, ...queuedRow } = purchaseOrder({ id: 'acme:OLD-Q', poNumber: 'OLD-Q', outcome: 'queued', retry });
    const { id: openId, ...openRow } = purchaseOrder({ id: 'acme:OLD-A', poNumber: 'OLD-A', outcome: 'accepted', orderId: 'ORD-OLD', followUpsOpen: true });
    await db.collection<{ _id: string }>('channel_webhooks').insertOne({ _id: webhookId, ...webhookRow });
    await db.collection<{ _id: string; key: string }>('channel_documents').insertOne({ _id: documentId, key: 'acme:997:EDD-OLD', ...documentRow });
    await db.collection<{ _id: string }>('channel_purchase_orders').insertMany([
      { _id: queuedId, ...queuedRow },
      { _id: openId, ...openRow },
    ]);
    const store = await MongoChannelStore.connect(ferret.url, { dbName, serverSelectionTimeoutMS: 2_000 });
    opened.push(store);
    expect((await store.claimDueWebhooks(now, 10)).map((w) => w.id)).toEqual(['shopify:old']);
    expect((await store.claimDueDocuments(now, 10)).map((d) => d.id)).toEqual(['EDD-OLD']);
    expect((await store.claimDuePurchaseOrderRetries(now, 10)).map((po) => po.id)).toEqual(['acme:OLD-Q']);
    expect((await store.openFollowUps(10)).map((po) => po.id)).toEqual(['acme:OLD-A']);
    // Once only: a later start does not read those collections again.
    await db.collection<{ _id: string }>('channel_webhooks').insertOne({ _id: 'shopify:unlisted', ...webhookRow });
    const restarted = await MongoChannelStore.connect(ferret.url, { dbName, serverSelectionTimeoutMS: 2_000 });
    opened.push(restarted);
    expect(await restarted.claimDueWebhooks(at(120_000), 10)).toEqual([expect.objectContaining({ id: 'shopify:old' })]);
  });
});
