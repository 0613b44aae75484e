import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutboxWorker, type OrderStore, type OutboxWorkerOptions, type PlacedOrder, type PostingTarget } from '../src';
import { at, fakeBackend, insertOrders, placedOrder, RefusedError, T0, type FakeBackend, type OpenStore } from './fixtures';

const policy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 8_000 };

/** The outbox's promises, checked on a given store adapter with in-process fake backends. */
export function describeOutboxContract(name: string, open: OpenStore): void {
  describe(`OutboxWorker on ${name}`, () => {
    let store: OrderStore;
    let replica: () => Promise<OrderStore>;
    let erp: FakeBackend;
    let wms: FakeBackend;
    let commerce: FakeBackend;
    const closeAfter: OrderStore[] = [];

    const worker = (overrides: Partial<OutboxWorkerOptions> = {}) =>
      new OutboxWorker({
        store,
        posters: { erp: erp.poster, wms: wms.poster, commerce: commerce.poster },
        policy,
        isPermanent: (error) => error instanceof RefusedError,
        intervalMs: 20,
        leaseMs: 30_000,
        batchSize: 10,
        random: () => 0.5,
        ...overrides,
      });
    const stored = async (id: string): Promise<PlacedOrder> => {
      const [order] = await store.get([id]);
      if (!order) throw new Error(`order ${id} vanished`);
      return order;
    };

    beforeEach(async () => {
      ({ store, replica } = await open());
      closeAfter.push(store);
      [erp, wms, commerce] = [fakeBackend('SO'), fakeBackend('AL'), fakeBackend('CP')];
    });
    afterEach(async () => {
      await Promise.all(closeAfter.splice(0).map((s) => s.close()));
    });

    it('posts every stored order to every backend once and records the references', async () => {
      const ids = await insertOrders(store, 3);
      const onPosted = jest.fn();
      const round = await worker({ onPosted }).runOnce(T0);
      expect(round).toMatchObject({ claimed: 9, posted: 9, retrying: 0, failed: 0, unrecorded: 0 });
      const order = await stored(ids[0]!);
      expect(order.postings.erp).toMatchObject({ state: 'POSTED', reference: `SO-${ids[0]}`, attempts: 1 });
      expect(order.postings.commerce.reference).toBe(`CP-${ids[0]}`);
      expect(onPosted).toHaveBeenCalledTimes(9);
      expect(await worker().runOnce(at(60_000))).toMatchObject({ claimed: 0 });
      expect([...erp.calls, ...wms.calls, ...commerce.calls]).toHaveLength(9);
    });

    it('retries a failing backend with growing backoff until it takes the posting', async () => {
      const [id] = await insertOrders(store, 1);
      erp.failWith = (_order, call) => (call <= 2 ? new Error('ECONNRESET') : null);
      const outbox = worker();
      expect(await outbox.runOnce(T0)).toMatchObject({ retrying: 1, posted: 2 });
      // random 0.5 waives a quarter of the ceiling: 1000 ms -> 750 ms, then 2000 ms -> 1500 ms.
      expect((await stored(id!)).postings.erp).toMatchObject({ state: 'QUEUED', attempts: 1, lastError: 'ECONNRESET', nextAttemptAt: at(750).toISOString() });
      expect(await outbox.runOnce(at(749))).toMatchObject({ claimed: 0 });
      await outbox.runOnce(at(750));
      expect((await stored(id!)).postings.erp).toMatchObject({ state: 'QUEUED', attempts: 2, nextAttemptAt: at(2_250).toISOString() });
      await outbox.runOnce(at(2_250));
      expect((await stored(id!)).postings.erp).toMatchObject({ state: 'POSTED', attempts: 3, reference: `SO-${id}`, lastError: null });
      expect(erp.callsFor(id!)).toBe(3);
    });

    it('gives up after maxAttempts: FAILED, onFailed called once, no more calls', async () => {
      const [id] = await insertOrders(store, 1);
      wms.failWith = () => new Error('HTTP 503');
      const onFailed = jest.fn();
      const outbox = worker({ onFailed });
      for (let step = 0; step < 8; step += 1) await outbox.runOnce(at(step * policy.maxDelayMs));
      expect(wms.callsFor(id!)).toBe(policy.maxAttempts);
      expect((await stored(id!)).postings.wms).toMatchObject({ state: 'FAILED', attempts: 4, lastError: 'HTTP 503' });
      expect(onFailed).toHaveBeenCalledTimes(1);
      expect(onFailed.mock.calls[0]?.[1]).toBe('wms');
      expect((await store.depth(at(100_000))).wms.queued).toBe(0);
    });

    it('fails a permanently refused posting after fewer attempts', async () => {
      const [id] = await insertOrders(store, 1);
      commerce.failWith = () => new RefusedError('HTTP 422 unknown customer');
      const onFailed = jest.fn();
      const outbox = worker({ onFailed, maxPermanentAttempts: 2 });
      for (let step = 0; step < 4; step += 1) await outbox.runOnce(at(step * policy.maxDelayMs));
      expect(commerce.callsFor(id!)).toBe(2);
      expect((await stored(id!)).postings.commerce).toMatchObject({ state: 'FAILED', attempts: 2, lastError: 'HTTP 422 unknown customer' });
      expect(onFailed).toHaveBeenCalledTimes(1);
    });

    it('never posts a posting twice when two workers on two replicas run at once', async () => {
      const ids = await insertOrders(store, 25);
      const other = await replica();
      closeAfter.push(other);
      const [a, b] = [worker({ batchSize: 4 }), worker({ batchSize: 4, store: other })];
      for (let step = 0; step < 10; step += 1) await Promise.all([a.runOnce(T0), b.runOnce(T0)]);
      for (const backend of [erp, wms, commerce]) {
        expect(backend.calls).toHaveLength(ids.length);
        expect(new Set(backend.calls).size).toBe(ids.length);
      }
    });

    it('never double-posts when postNow races a running worker', async () => {
      const orders = Array.from({ length: 12 }, () => placedOrder());
      for (const order of orders) await store.insert(order);
      const targets: PostingTarget[] = ['erp', 'wms', 'commerce'];
      const outbox = worker({ batchSize: 5 });
      const [outcomes] = await Promise.all([
        Promise.all(orders.map((order) => worker().postNow(order, targets, T0))),
        (async () => {
          for (let step = 0; step < 4; step += 1) await outbox.runOnce(T0);
        })(),
      ]);
      await outbox.runOnce(T0);
      for (const backend of [erp, wms, commerce]) expect(backend.calls.sort()).toEqual(orders.map((o) => o.id).sort());
      for (const outcome of outcomes) for (const target of targets) expect(['POSTED', 'QUEUED']).toContain(outcome[target]?.state);
    });

    it('posts an order inserted with newPostings at once, without a claim, and a worker running meanwhile leaves it alone', async () => {
      // No commerce poster here: that posting is not leased, so any worker may take it at once.
      const fast = worker({ posters: { erp: erp.poster, wms: wms.poster } });
      const order = placedOrder({ postings: fast.newPostings(T0) });
      expect([order.postings.erp.leaseUntil, order.postings.wms.leaseUntil, order.postings.commerce.leaseUntil]).toEqual([at(30_000).toISOString(), at(30_000).toISOString(), null]);
      await store.insert(order);
      const outbox = worker();
      const [after] = await Promise.all([fast.postInserted(order, T0), outbox.runOnce(T0)]);
      expect(after.postings.erp).toMatchObject({ state: 'POSTED', reference: `SO-${order.id}`, attempts: 1, leaseUntil: null });
      expect(after.postings.wms).toMatchObject({ state: 'POSTED', reference: `AL-${order.id}` });
      await outbox.runOnce(at(60_000));
      expect([erp.calls, wms.calls, commerce.calls]).toEqual([[order.id], [order.id], [order.id]]);
    });

    it('leaves a new order whose inserter died before posting it to the worker once the lease has run out', async () => {
      // A lease of its own for the immediate attempt, shorter than the worker's.
      const order = placedOrder({ postings: worker().newPostings(T0, 5_000) });
      await store.insert(order);
      expect(await worker().runOnce(at(4_999))).toMatchObject({ claimed: 0 });
      expect(await worker().runOnce(at(5_000))).toMatchObject({ claimed: 3, posted: 3 });
      expect((await stored(order.id)).postings.erp).toMatchObject({ state: 'POSTED', reference: `SO-${order.id}` });
    });

    it('withdraws a posting whose order was cancelled while it was in flight, and no other', async () => {
      const withdrawn: string[] = [];
      const withdrawals = { erp: async (cancelled: PlacedOrder) => void withdrawn.push(`${cancelled.id} ${cancelled.status} ${cancelled.cancelReason}`) };
      const [racing, calm, cancelledFirst] = [placedOrder(), placedOrder(), placedOrder()];
      for (const order of [racing, calm, cancelledFirst]) await store.insert(order);
      await store.updateStatus(cancelledFirst.id, 'CANCELLED', { at: T0, reason: 'before the post' });
      // cancelOrder marks the racing order while the ERP is taking its post.
      const cancelMidway = async (order: PlacedOrder) => {
        const reference = await erp.poster(order);
        if (order.id === racing.id) await store.updateStatus(order.id, 'CANCELLED', { at: T0, reason: 'changed mind' });
        return reference;
      };
      await worker({ posters: { erp: cancelMidway }, withdrawals }).runOnce(T0);
      expect(withdrawn).toEqual([`${racing.id} CANCELLED changed mind`]);
      expect((await stored(racing.id)).postings.erp).toMatchObject({ state: 'POSTED', reference: `SO-${racing.id}` });
      // Cancelled after the outcome was recorded: cancelOrder itself finds the order in the backend.
      await store.updateStatus(calm.id, 'CANCELLED', { at: T0, reason: 'later' });
      await worker({ posters: { erp: cancelMidway }, withdrawals }).runOnce(at(60_000));
      expect(withdrawn).toHaveLength(1);
    });

    it('postNow records a first failure as QUEUED with backoff, and the worker finishes the job', async () => {
      const order = placedOrder();
      await store.insert(order);
      erp.failWith = (_id, call) => (call === 1 ? new Error('ERP down') : null);
      const outcomes = await worker().postNow(order, ['erp', 'wms'], T0);
      expect(outcomes).toEqual({ erp: { state: 'QUEUED', reference: null, error: 'ERP down' }, wms: { state: 'POSTED', reference: `AL-${order.id}`, error: null } });
      expect((await stored(order.id)).postings.erp).toMatchObject({ state: 'QUEUED', attempts: 1, nextAttemptAt: at(750).toISOString(), leaseUntil: null });
      expect(await worker().postNow(order, ['wms'], T0)).toEqual({ wms: { state: 'POSTED', reference: `AL-${order.id}`, error: null } });
      await worker().runOnce(at(750));
      expect((await stored(order.id)).postings.erp).toMatchObject({ state: 'POSTED', reference: `SO-${order.id}` });
      expect([erp.callsFor(order.id), wms.callsFor(order.id), commerce.callsFor(order.id)]).toEqual([2, 1, 1]);
      await expect(worker().postNow(placedOrder(), ['erp'], T0)).rejects.toThrow(/not stored/);
    });

    it('holds a backend known down (paused), spends no attempt on a fast failure, and catches up at once when it is back', async () => {
      const ids = await insertOrders(store, 3);
      let erpDown = true;
      class CircuitOpen extends Error {}
      const outbox = worker({ paused: (target) => target === 'erp' && erpDown, isDeferred: (error) => error instanceof CircuitOpen });
      // While paused nothing of the ERP's is claimed or attempted; the other backends go on.
      expect(await outbox.runOnce(T0)).toMatchObject({ claimed: 6, posted: 6 });
      expect(erp.calls).toEqual([]);
      expect((await stored(ids[0]!)).postings.erp).toMatchObject({ state: 'QUEUED', attempts: 0, leaseUntil: null });

      // Unpaused (half-open), a failure that reached no backend is deferred, not counted.
      erpDown = false;
      const [deferred] = await insertOrders(store, 1);
      erp.failWith = (id, call) => (id === deferred && call === 1 ? new CircuitOpen('erp backend: circuit open') : null);
      expect(await worker({ isDeferred: (error) => error instanceof CircuitOpen }).postNow((await stored(deferred!)), ['erp'], T0)).toEqual({
        erp: { state: 'QUEUED', reference: null, error: 'erp backend: circuit open' },
      });
      expect((await stored(deferred!)).postings.erp).toMatchObject({ state: 'QUEUED', attempts: 0, nextAttemptAt: at(1_000).toISOString(), lastError: 'erp backend: circuit open' });

      // A posting pushed far out by earlier failures is taken at once on catchUp, not at its backoff.
      await store.recordAttempts(ids[0]!, [{ target: 'erp', outcome: 'failed', error: 'reset', nextAttemptAt: at(8_000), giveUp: false }]);
      // Due now: two ERP postings, and the other two postings of the order just added.
      expect(await outbox.runOnce(at(10))).toMatchObject({ claimed: 4, posted: 4 });
      outbox.catchUp('erp');
      expect(await outbox.runOnce(at(20))).toMatchObject({ claimed: 2, posted: 2 });
      for (const id of [...ids, deferred!]) expect((await stored(id)).postings.erp.state).toBe('POSTED');
      expect(new Set(erp.calls).size).toBe(erp.calls.length - 1);
    });

    it('runs rounds in the background until stopped, and stop waits for the round in flight', async () => {
      const ids = await insertOrders(store, 15);
      const outbox = worker({ batchSize: 5 });
      outbox.start();
      outbox.start();
      for (let waited = 0; commerce.calls.length < ids.length && waited < 10_000; waited += 20) await sleep(20);
      await outbox.stop();
      const callsAtStop = erp.calls.length + wms.calls.length + commerce.calls.length;
      expect(callsAtStop).toBe(3 * ids.length);
      const orders = await store.get(ids);
      expect(orders.every((o) => o?.postings.erp.state === 'POSTED' && o.postings.commerce.state === 'POSTED')).toBe(true);
    });
  });
}
