import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { OrderStore } from '../src';
import { at, insertOrders, markAttemptFailed, markPosted, placedOrder, T0, type OpenStore } from './fixtures';

/** The behaviour every OrderStore adapter must share; run against each of them. */
export function describeOrderStoreContract(name: string, open: OpenStore): void {
  describe(`${name} (OrderStore contract)`, () => {
    let store: OrderStore;
    let replica: () => Promise<OrderStore>;
    const extra: OrderStore[] = [];

    beforeEach(async () => {
      ({ store, replica } = await open());
    });
    afterEach(async () => {
      await Promise.all([store, ...extra.splice(0)].map((s) => s.close()));
    });

    it('stores an order once: same id or same idempotency key again is "exists" and changes nothing', async () => {
      const order = placedOrder();
      expect(await store.insert(order)).toBe('inserted');
      expect(await store.insert({ ...order, customerId: 'C-OTHER' })).toBe('exists');
      expect(await store.insert(placedOrder({ idempotencyKey: order.idempotencyKey }))).toBe('exists');
      expect(await store.get([order.id])).toEqual([order]);
      expect(await store.getByIdempotencyKey(order.idempotencyKey)).toEqual(order);
      expect(await store.getByIdempotencyKey('web:unknown')).toBeNull();
    });

    it('lets exactly one of many racing inserts with one idempotency key win', async () => {
      const key = 'marketplace:race-1';
      const results = await Promise.all(Array.from({ length: 8 }, () => store.insert(placedOrder({ idempotencyKey: key }))));
      expect(results.filter((r) => r === 'inserted')).toHaveLength(1);
    });

    it('answers get in request order with null for unknown ids', async () => {
      const [a, b] = await insertOrders(store, 2);
      const got = await store.get([b!, 'missing', a!, b!]);
      expect(got.map((o) => o?.id ?? null)).toEqual([b, null, a, b]);
      expect(await store.get([])).toEqual([]);
    });

    it('keeps stored state apart from the objects callers hold', async () => {
      const order = placedOrder();
      await store.insert(order);
      order.lines[0]!.quantity = 999;
      const [got] = await store.get([order.id]);
      got!.postings.erp.state = 'POSTED';
      const [again] = await store.get([order.id]);
      expect(again!.lines[0]!.quantity).toBe(2);
      expect(again!.postings.erp.state).toBe('QUEUED');
    });

    it('claims due QUEUED postings of one target under a lease, oldest first, up to the limit', async () => {
      const early = placedOrder({ placedAt: at(-5_000).toISOString() });
      const late = placedOrder();
      const notDue = placedOrder({ placedAt: at(60_000).toISOString() });
      for (const order of [late, notDue, early]) await store.insert(order);

      const claimed = await store.claimDue('erp', T0, 30_000, 10);
      expect(claimed.map((o) => o.id)).toEqual([early.id, late.id]);
      expect(claimed[0]!.postings.erp.leaseUntil).toBe(at(30_000).toISOString());
      expect(claimed[0]!.postings.wms.leaseUntil).toBeNull();
      expect(await store.claimDue('erp', at(1_000), 30_000, 10)).toEqual([]);
      // Other targets are leased independently.
      expect(await store.claimDue('wms', T0, 30_000, 1)).toHaveLength(1);
    });

    it('lets a posting be claimed again once its lease expired (the worker holding it crashed)', async () => {
      const [id] = await insertOrders(store, 1);
      expect(await store.claimDue('erp', T0, 10_000, 5)).toHaveLength(1);
      expect(await store.claimDue('erp', at(9_999), 10_000, 5)).toHaveLength(0);
      const reclaimed = await store.claimDue('erp', at(10_000), 10_000, 5);
      expect(reclaimed.map((o) => o.id)).toEqual([id]);
    });

    it('gives concurrent claimers on two replicas disjoint sets of postings', async () => {
      const ids = await insertOrders(store, 30);
      const other = await replica();
      extra.push(other);
      const rounds = await Promise.all([store, other, store, other, store, other].map((s) => s.claimDue('commerce', T0, 60_000, 7)));
      const claimed = rounds.flat().map((o) => o.id);
      expect(new Set(claimed).size).toBe(claimed.length);
      const rest = await store.claimDue('commerce', T0, 60_000, 100);
      expect([...claimed, ...rest.map((o) => o.id)].sort()).toEqual([...ids].sort());
    });

    it('claims postings for the fast path in one change even before they are due, but never a leased one', async () => {
      const order = placedOrder({ placedAt: at(60_000).toISOString() });
      await store.insert(order);
      const claimed = await store.claim(order.id, ['erp'], T0, 5_000);
      expect(claimed?.targets).toEqual(['erp']);
      expect(claimed?.order.postings.erp.leaseUntil).toBe(at(5_000).toISOString());
      expect(await store.claim(order.id, ['erp'], T0, 5_000)).toBeNull();
      // The leased one is left out; the others are leased together.
      const rest = await store.claim(order.id, ['erp', 'wms', 'commerce'], T0, 7_000);
      expect(rest?.targets).toEqual(['wms', 'commerce']);
      expect([rest?.order.postings.erp.leaseUntil, rest?.order.postings.wms.leaseUntil, rest?.order.postings.commerce.leaseUntil]).toEqual([
        at(5_000).toISOString(),
        at(7_000).toISOString(),
        at(7_000).toISOString(),
      ]);
      expect(await store.claimDue('erp', at(60_000), 5_000, 5)).toHaveLength(1);
      expect(await store.claim('missing', ['erp'], T0, 5_000)).toBeNull();
    });

    it('records the outcomes of several postings of one order in one change', async () => {
      const [id] = await insertOrders(store, 1);
      await store.claim(id!, ['erp', 'wms', 'commerce'], T0, 30_000);
      const after = await store.recordAttempts(id!, [
        { target: 'erp', outcome: 'posted', reference: 'SO-7', at: at(100) },
        { target: 'wms', outcome: 'failed', error: 'connection reset', nextAttemptAt: at(2_000), giveUp: false },
        { target: 'commerce', outcome: 'failed', error: 'HTTP 422', nextAttemptAt: at(2_000), giveUp: true },
      ]);
      expect(after?.postings).toEqual({
        erp: { state: 'POSTED', attempts: 1, nextAttemptAt: T0.toISOString(), lastError: null, reference: 'SO-7', postedAt: at(100).toISOString(), leaseUntil: null },
        wms: { state: 'QUEUED', attempts: 1, nextAttemptAt: at(2_000).toISOString(), lastError: 'connection reset', reference: null, postedAt: null, leaseUntil: null },
        commerce: { state: 'FAILED', attempts: 1, nextAttemptAt: at(2_000).toISOString(), lastError: 'HTTP 422', reference: null, postedAt: null, leaseUntil: null },
      });
      expect((await store.get([id!]))[0]).toEqual(after);
      // Nothing applies any more (POSTED keeps its reference, FAILED ignores a late failure): null, unchanged.
      expect(await store.recordAttempts(id!, [{ target: 'erp', outcome: 'posted', reference: 'SO-8', at: at(200) }, { target: 'commerce', outcome: 'failed', error: 'late', nextAttemptAt: at(3_000), giveUp: false }])).toBeNull();
      expect((await store.get([id!]))[0]).toEqual(after);
      expect(await store.recordAttempts('missing', [{ target: 'erp', outcome: 'posted', reference: null, at: T0 }])).toBeNull();
    });

    it('marks a posting POSTED once: reference kept, lease released, never claimed again', async () => {
      const [id] = await insertOrders(store, 1);
      await store.claimDue('erp', T0, 30_000, 1);
      await markPosted(store, id!, 'erp', 'SO-1', at(100));
      await markPosted(store, id!, 'erp', 'SO-2', at(200));
      await markAttemptFailed(store, id!, 'erp', 'late timeout', at(300), false);
      const [order] = await store.get([id!]);
      expect(order!.postings.erp).toEqual({ state: 'POSTED', attempts: 1, nextAttemptAt: T0.toISOString(), lastError: null, reference: 'SO-1', postedAt: at(100).toISOString(), leaseUntil: null });
      expect(order!.postings.wms.state).toBe('QUEUED');
      expect(await store.claimDue('erp', at(60_000), 30_000, 5)).toEqual([]);
      await markPosted(store, 'missing', 'erp', null, T0);
    });

    it('records failed attempts: QUEUED again when due, FAILED when giving up', async () => {
      const [id] = await insertOrders(store, 1);
      await store.claimDue('wms', T0, 30_000, 1);
      await markAttemptFailed(store, id!, 'wms', 'connection reset', at(2_000), false);
      let [order] = await store.get([id!]);
      expect(order!.postings.wms).toMatchObject({ state: 'QUEUED', attempts: 1, lastError: 'connection reset', nextAttemptAt: at(2_000).toISOString(), leaseUntil: null });
      expect(await store.claimDue('wms', at(1_999), 30_000, 5)).toEqual([]);
      expect(await store.claimDue('wms', at(2_000), 30_000, 5)).toHaveLength(1);

      await markAttemptFailed(store, id!, 'wms', 'HTTP 422 unknown SKU', at(6_000), true);
      [order] = await store.get([id!]);
      expect(order!.postings.wms).toMatchObject({ state: 'FAILED', attempts: 2, lastError: 'HTTP 422 unknown SKU', leaseUntil: null });
      expect(await store.claimDue('wms', at(600_000), 30_000, 5)).toEqual([]);
      expect(await store.claim(id!, ['wms'], at(600_000), 30_000)).toBeNull();
    });

    it('requeues a FAILED posting once for a replay: due now, attempts reset, claimable by the outbox', async () => {
      const [id] = await insertOrders(store, 1);
      await store.claimDue('erp', T0, 30_000, 1);
      await markAttemptFailed(store, id!, 'erp', 'HTTP 500', at(1_000), true);
      const other = await replica();
      extra.push(other);
      // Two operators replaying at once: one requeue, so one posting.
      const outcomes = await Promise.all([store.requeueFailed(id!, 'erp', at(60_000)), other.requeueFailed(id!, 'erp', at(60_000))]);
      expect(outcomes.sort()).toEqual(['not-failed', 'requeued']);
      const [order] = await store.get([id!]);
      expect(order!.postings.erp).toMatchObject({ state: 'QUEUED', attempts: 0, nextAttemptAt: at(60_000).toISOString(), lastError: 'HTTP 500', leaseUntil: null });
      expect(order!.postings.wms.state).toBe('QUEUED');
      expect((await store.claimDue('erp', at(60_000), 30_000, 5)).map((o) => o.id)).toEqual([id]);
      expect(await store.requeueFailed(id!, 'wms', T0)).toBe('not-failed');
      expect(await store.requeueFailed('missing', 'erp', T0)).toBe('not-found');
    });

    it('updates status and cancellation without touching postings; unknown ids give null', async () => {
      const [id] = await insertOrders(store, 1);
      await store.claimDue('erp', T0, 30_000, 1);
      const allocated = await store.updateStatus(id!, 'ALLOCATED');
      expect(allocated).toMatchObject({ status: 'ALLOCATED', cancelledAt: null, cancelReason: null });
      const cancelled = await store.updateStatus(id!, 'CANCELLED', { at: at(5_000), reason: 'customer called' });
      expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelledAt: at(5_000).toISOString(), cancelReason: 'customer called' });
      expect(cancelled!.postings.erp.leaseUntil).toBe(at(30_000).toISOString());
      expect((await store.get([id!]))[0]).toEqual(cancelled);
      expect(await store.updateStatus('missing', 'CANCELLED', { at: T0, reason: null })).toBeNull();
    });

    it('keeps concurrent changes to different postings and the status of one order', async () => {
      const [id] = await insertOrders(store, 1);
      const other = await replica();
      extra.push(other);
      await Promise.all([
        markPosted(store, id!, 'erp', 'SO-9', T0),
        markPosted(other, id!, 'wms', 'AL-9', T0),
        markAttemptFailed(store, id!, 'commerce', 'down', at(1_000), false),
        other.updateStatus(id!, 'ALLOCATED'),
      ]);
      const [order] = await store.get([id!]);
      expect(order!.status).toBe('ALLOCATED');
      expect([order!.postings.erp.reference, order!.postings.wms.reference, order!.postings.commerce.lastError]).toEqual(['SO-9', 'AL-9', 'down']);
    });

    it('builds each change on the latest stored order, also after another replica changed the order this one wrote', async () => {
      const order = placedOrder();
      await store.insert(order);
      const other = await replica();
      extra.push(other);
      await other.updateStatus(order.id, 'ALLOCATED');
      await markPosted(store, order.id, 'erp', 'SO-1', T0);
      expect((await store.get([order.id]))[0]).toMatchObject({ status: 'ALLOCATED', postings: { erp: { state: 'POSTED', reference: 'SO-1' } } });
      // A change that applies only to what the other replica wrote (a FAILED posting) applies.
      await markAttemptFailed(other, order.id, 'wms', 'refused', T0, true);
      expect(await store.requeueFailed(order.id, 'wms', at(1_000))).toBe('requeued');
      expect((await other.get([order.id]))[0]!.postings.wms).toMatchObject({ state: 'QUEUED', attempts: 0 });
    });

    it('loses no change when many writers on two replicas change one order at once', async () => {
      const [id] = await insertOrders(store, 1);
      const other = await replica();
      extra.push(other);
      const writers = 24;
      await Promise.all(
        Array.from({ length: writers }, (_, i) => markAttemptFailed(i % 2 === 0 ? store : other, id!, 'erp', `reset ${i}`, at(1_000), false)),
      );
      // Each failure counts one attempt: a change written over another would show fewer.
      expect((await store.get([id!]))[0]!.postings.erp).toMatchObject({ state: 'QUEUED', attempts: writers });
    });

    it('reports queue depth per target with the age of the oldest queued order', async () => {
      expect(await store.depth(T0)).toEqual({ erp: { queued: 0, oldestAgeMs: null }, wms: { queued: 0, oldestAgeMs: null }, commerce: { queued: 0, oldestAgeMs: null } });
      const old = placedOrder({ placedAt: at(-60_000).toISOString() });
      await store.insert(old);
      await insertOrders(store, 2);
      await markPosted(store, old.id, 'erp', 'SO-1', T0);
      expect(await store.depth(at(1_000))).toEqual({
        erp: { queued: 2, oldestAgeMs: 1_000 },
        wms: { queued: 3, oldestAgeMs: 61_000 },
        commerce: { queued: 3, oldestAgeMs: 61_000 },
      });
    });
  });
}
