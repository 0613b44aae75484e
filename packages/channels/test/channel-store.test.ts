import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFerretDb, type BackingService } from '@crossdock/testkit';
import { MemoryChannelStore, MongoChannelStore, type ChannelStore } from '../src';
import { document, now, purchaseOrder, webhook } from './store-records';

let ferret: BackingService | undefined;
let databases = 0;
const opened: ChannelStore[] = [];

beforeAll(async () => {
  ferret = await startFerretDb();
}, 120_000);
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await ferret?.stop();
});

const adapters: [string, () => Promise<ChannelStore>][] = [
  ['memory', async () => new MemoryChannelStore()],
  [
    'FerretDB',
    async () => {
      if (!ferret) throw new Error('FerretDB not started');
      const store = await MongoChannelStore.connect(ferret.url, { dbName: `channels_${process.pid}_${(databases += 1)}`, serverSelectionTimeoutMS: 2_000 });
      opened.push(store);
      return store;
    },
  ],
];

describe.each(adapters)('channel store on %s', (_name, open) => {
  it('recognises a repeated interchange (sender + ISA13) and hands back the first answer', async () => {
    const store = await open();
    const record = { id: 'acme:000003438', partnerId: 'acme', controlNumber: '000003438', receivedAt: now.toISOString(), state: 'processing' as const, result: null };
    expect(await store.claimInterchange(record)).toEqual({ created: true });
    await store.finishInterchange(record.id, '{"first":true}');
    expect(await store.claimInterchange(record)).toEqual({ created: false, existing: { ...record, state: 'done', result: '{"first":true}' } });
  });

  it('lets a PO through once; again only after it was refused or held, as the next attempt', async () => {
    const store = await open();
    expect((await store.claimPurchaseOrder(purchaseOrder(), now, 60_000)).status).toBe('claimed');
    expect(await store.claimPurchaseOrder(purchaseOrder(), now, 60_000)).toMatchObject({ status: 'duplicate', record: { outcome: 'pending' } });
    await store.savePurchaseOrder(purchaseOrder({ outcome: 'held' }));
    const racing = await Promise.all([store.claimPurchaseOrder(purchaseOrder(), now, 60_000), store.claimPurchaseOrder(purchaseOrder(), now, 60_000)]);
    expect(racing.map((r) => r.status).sort()).toEqual(['claimed', 'duplicate']);
    expect(racing.find((r) => r.status === 'claimed')?.record.attempt).toBe(2);
    await store.savePurchaseOrder(purchaseOrder({ outcome: 'accepted', attempt: 2, orderId: 'ORD-H1', followUpsOpen: true }));
    expect(await store.claimPurchaseOrder(purchaseOrder(), now, 60_000)).toMatchObject({ status: 'duplicate', record: { orderId: 'ORD-H1' } });
    expect((await store.purchaseOrdersByOrderIds(['ORD-H1'])).map((po) => po.id)).toEqual(['acme:PO1']);
    expect((await store.openFollowUps(10)).map((po) => po.id)).toEqual(['acme:PO1']);
  });

  it('takes over a PO a crashed process left pending, once it is stale', async () => {
    const store = await open();
    await store.claimPurchaseOrder(purchaseOrder(), now, 60_000);
    const later = new Date(now.getTime() + 61_000);
    expect(await store.claimPurchaseOrder(purchaseOrder({ updatedAt: later.toISOString() }), later, 60_000)).toMatchObject({ status: 'claimed', record: { attempt: 1 } });
  });

  it('never hands out a control number twice, even to concurrent callers', async () => {
    const store = await open();
    const numbers = await Promise.all(Array.from({ length: 12 }, () => store.nextControlNumber('acme')));
    expect(new Set(numbers).size).toBe(12);
    expect(Math.min(...numbers)).toBe(1);
    expect(await store.nextControlNumber('other')).toBe(1);
  });

  it('keeps one document per partner, type and reference, and pages newest first within a partner', async () => {
    const store = await open();
    expect(await store.addDocument(document('EDD-1'))).toBe('inserted');
    expect(await store.addDocument(document('EDD-9', { reference: 'EDD-1' }))).toBe('exists');
    await store.addDocument(document('EDD-2', { type: '855' }));
    await store.addDocument(document('EDD-3', { partnerId: 'other' }));
    const first = await store.listDocuments({ partnerIds: ['acme'] }, { first: 1, after: null });
    expect(first.items.map((d) => d.id)).toEqual(['EDD-2']);
    const second = await store.listDocuments({ partnerIds: ['acme'] }, { first: 1, after: first.nextCursor });
    expect(second).toEqual({ items: [expect.objectContaining({ id: 'EDD-1' })], nextCursor: null });
    expect((await store.listDocuments({ partnerIds: null, types: ['997'] }, { first: 10, after: null })).items.map((d) => d.id)).toEqual(['EDD-3', 'EDD-1']);
  });

  it('claims each due document attempt for one worker only', async () => {
    const store = await open();
    await store.addDocument(document('EDD-1'));
    const [a, b] = await Promise.all([store.claimDueDocuments(now, 10), store.claimDueDocuments(now, 10)]);
    expect([...(a ?? []), ...(b ?? [])].map((d) => d.id)).toEqual(['EDD-1']);
    await store.updateDelivery('EDD-1', { state: 'QUEUED', attempts: 1, nextAttemptAt: now.toISOString(), lastError: 'HTTP 503', deliveredAt: null });
    expect((await store.claimDueDocuments(now, 10)).map((d) => d.delivery.attempts)).toEqual([1]);
  });

  it('recognises a redelivered webhook by its id, and claims each pending one once', async () => {
    const store = await open();
    expect(await store.enqueueWebhook(webhook('shopify:w1'))).toBe('inserted');
    expect(await store.enqueueWebhook(webhook('shopify:w1'))).toBe('exists');
    const [a, b] = await Promise.all([store.claimDueWebhooks(now, 10), store.claimDueWebhooks(now, 10)]);
    expect([...(a ?? []), ...(b ?? [])].map((w) => w.id)).toEqual(['shopify:w1']);
    await store.updateWebhook({ ...webhook('shopify:w1'), state: 'DONE', attempts: 1, outcome: 'order ORD-H1' });
    expect(await store.webhook('shopify:w1')).toMatchObject({ state: 'DONE', outcome: 'order ORD-H1' });
    expect(await store.claimDueWebhooks(now, 10)).toEqual([]);
  });

  it('stores webhooks arriving together in one go, each answered for itself (duplicates within the burst too)', async () => {
    const store = await open();
    const burst = await Promise.all(['shopify:b1', 'shopify:b2', 'shopify:b1', 'shopify:b3', 'shopify:b2'].map((id) => store.enqueueWebhook(webhook(id))));
    expect(burst.filter((r) => r === 'inserted')).toHaveLength(3);
    expect(burst.filter((r) => r === 'exists')).toHaveLength(2);
    expect((await store.claimDueWebhooks(now, 10)).map((w) => w.id).sort()).toEqual(['shopify:b1', 'shopify:b2', 'shopify:b3']);
  });

  it('sweeps claims older than the cut-off and keeps newer ones', async () => {
    const store = await open();
    await store.addDocument(document('EDD-S1'));
    const later = new Date(now.getTime() + 5 * 60_000);
    expect(await store.claimDueDocuments(now, 10)).toHaveLength(1);
    // Another attempt claimed later (its schedule changed), so there are two claims of different ages.
    await store.updateDelivery('EDD-S1', { state: 'QUEUED', attempts: 1, nextAttemptAt: now.toISOString(), lastError: 'HTTP 503', deliveredAt: null });
    expect(await store.claimDueDocuments(later, 10)).toHaveLength(1);
    expect(await store.sweepClaims(now)).toBe(0);
    expect(await store.sweepClaims(new Date(now.getTime() + 1))).toBe(1);
    // The later claim still holds its attempt; once swept too, nothing is left.
    expect(await store.claimDueDocuments(later, 10)).toEqual([]);
    expect(await store.sweepClaims(new Date(later.getTime() + 1))).toBe(1);
    expect(await store.sweepClaims(new Date(later.getTime() + 1))).toBe(0);
  });

  it('hands out a queued PO for its next try when it is due, to one caller only', async () => {
    const store = await open();
    const retry = { attempts: 1, nextAttemptAt: new Date(now.getTime() + 1_000).toISOString(), lastError: 'WMS down', setControlNumber: '0001', raw: 'ISA…' };
    await store.savePurchaseOrder(purchaseOrder({ id: 'acme:PO-Q', poNumber: 'PO-Q', outcome: 'queued', retry }));
    await store.savePurchaseOrder(purchaseOrder({ id: 'acme:PO-A', poNumber: 'PO-A', outcome: 'accepted' }));
    expect(await store.claimDuePurchaseOrderRetries(now, 10)).toEqual([]);
    const due = new Date(now.getTime() + 1_000);
    const [a, b] = await Promise.all([store.claimDuePurchaseOrderRetries(due, 10), store.claimDuePurchaseOrderRetries(due, 10)]);
    expect([...(a ?? []), ...(b ?? [])].map((po) => [po.id, po.retry?.attempts])).toEqual([['acme:PO-Q', 1]]);
  });
});
