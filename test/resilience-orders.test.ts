import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { setSimulatorFault, startHubStack, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { erpSalesOrders, eventually } from './support/drill-kit';
import { cheapSkus, freshKey, goodCustomer, PLACE_ORDER, setAvailable, type OrderInput, type PlaceOrderAnswer } from './support/order-capture-kit';

/** The issue's drill: orders keep coming for 20 s of ERP outage. */
const OUTAGE_MS = 20_000;
/** A handful of orders per second. */
const ORDER_EVERY_MS = 333;
/** The commerce subgraph crashes this far into the outage, and is started again after a pause. */
const CRASH_AFTER_MS = 7_000;
const CRASHED_FOR_MS = 1_500;
/**
 * Drill settings, not defaults: retries every 0.1–1 s (OUTBOX_BASE_DELAY_MS/OUTBOX_MAX_DELAY_MS)
 * so the postings go out within a second of the circuit closing instead of up to the default
 * 30 s, and enough attempts (OUTBOX_MAX_ATTEMPTS) to ride out the whole outage at that pace.
 */
const OUTBOX_DRILL_ENV = { OUTBOX_BASE_DELAY_MS: '200', OUTBOX_MAX_DELAY_MS: '1000', OUTBOX_MAX_ATTEMPTS: '200' };
/** Orders read per request while waiting for the postings. */
const ORDERS_PER_READ = 20;
const WRITE_SCOPES = ['orders:write', 'orders:read', 'pricing:read'];
const ORDER_STATE = /* GraphQL */ 'query($id: ID!) { order(id: $id) { id erpPosting erpOrderNumber } }';

/**
 * Answers that tell a shop to ask again with the same key: the gateway's while commerce is down
 * (INTERNAL_SERVER_ERROR: no connection), commerce's while a request the crash cut off still
 * holds the key (TEMPORARILY_UNAVAILABLE), and "try again shortly" (BACKEND_UNAVAILABLE), which a
 * replica just started may answer while its first read of the shared reference data is slow.
 * Without that data (the bug this drill found) every retry would be refused until the ERP returns,
 * which only happens after every order was answered: the drill would time out.
 */
const ASK_AGAIN: ReadonlySet<string> = new Set(['INTERNAL_SERVER_ERROR', 'TEMPORARILY_UNAVAILABLE', 'BACKEND_UNAVAILABLE']);

type Placement = PlaceOrderAnswer['placeOrder'] & { refusal: string | null };

interface OrderState {
  order: { id: string; erpPosting: string; erpOrderNumber: string | null } | null;
}

describe('resilience drills: orders while the ERP is down (real processes, Redis, FerretDB)', () => {
  let hub: HubStack;
  let writer: string;
  const customerId = goodCustomer();
  const skus = cheapSkus().slice(0, 3);

  beforeAll(async () => {
    // A short open period: the background probe notices the ERP's return within a second.
    hub = await startHubStack({ env: { CIRCUIT_OPEN_MS: '1000' }, serviceEnv: { commerce: OUTBOX_DRILL_ENV } });
    writer = await hub.token({ scopes: WRITE_SCOPES });
    for (const sku of skus) await setAvailable(hub, sku, 1_000);
  });

  afterAll(async () => {
    await hub?.stop();
  });

  /**
   * Places an order as a shop would: with no answer from the hub (commerce unreachable, or the same
   * key still held by a request the crash cut off, or "try again shortly"), the same request
   * again with the same key. Any other answer is final; a refusal is kept for the assertions.
   */
  /** Requests on their way; while `held`, no new one is sent (the shop pauses for a moment). */
  let inFlight = 0;
  let held: Promise<void> | null = null;
  const placeUntilAnswered = (input: OrderInput) =>
    eventually(
      `an answer to ${input.idempotencyKey}`,
      async (): Promise<Placement | null> => {
        while (held) await held;
        inFlight += 1;
        const { body } = await hub.query<PlaceOrderAnswer>(PLACE_ORDER, { input }, writer).finally(() => {
          inFlight -= 1;
        });
        const payload = body.data?.placeOrder;
        // An answer with neither an order nor a UserError is a failure too: keep what came with it.
        if (payload) return { ...payload, refusal: payload.order || payload.errors.length > 0 ? null : JSON.stringify(body) };
        const codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
        if (codes.length === 0 || !codes.every((code) => ASK_AGAIN.has(code))) return { order: null, errors: [], refusal: JSON.stringify(body) };
        return null;
      },
      // Bounded above the idempotency lease (20 s), in case a request is cut off after all.
      90_000,
      250,
    );
  const orderInput = (label: string, n: number): OrderInput => ({
    idempotencyKey: freshKey(label),
    channel: 'web',
    customerId,
    lines: [{ sku: skus[n % skus.length]!, quantity: 1 + (n % 3) }],
  });
  const postedState = (id: string) =>
    eventually(`${id} POSTED`, async () => {
      const { body } = await hub.query<OrderState>(ORDER_STATE, { id }, writer);
      return body.data?.order?.erpPosting === 'POSTED' ? body.data.order : null;
    });
  /** The ERP posting of each order as the hub reports it, a few orders per request (the gateway limits aliases). */
  const postings = async (ids: readonly string[]): Promise<NonNullable<OrderState['order']>[]> => {
    if (ids.length > ORDERS_PER_READ) return (await Promise.all([postings(ids.slice(0, ORDERS_PER_READ)), postings(ids.slice(ORDERS_PER_READ))])).flat();
    const fields = ids.map((_id, i) => `o${i}: order(id: $o${i}) { id erpPosting erpOrderNumber }`).join(' ');
    const query = `query(${ids.map((_id, i) => `$o${i}: ID!`).join(', ')}) { ${fields} }`;
    const { body } = await hub.query<Record<string, OrderState['order']>>(query, Object.fromEntries(ids.map((id, i) => [`o${i}`, id])), writer);
    return ids.map((id, i) => body.data?.[`o${i}`] ?? { id, erpPosting: 'UNKNOWN', erpOrderNumber: null });
  };

  it('orders during a 20 s ERP outage, with a commerce crash in it, are all accepted and each posted exactly once after', async () => {
    // An order while the ERP is up leaves the reference data (customer, prices) the outage needs.
    const warm = await placeUntilAnswered({ ...orderInput('warm', 0), lines: skus.map((sku) => ({ sku, quantity: 1 })) });
    expect(warm.order).toMatchObject({ status: 'ACCEPTED', erpPosting: 'POSTED' });

    await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'down' });
    let answers: Placement[];
    try {
      const started = performance.now();
      const placed: Promise<Placement>[] = [];
      const crash = (async () => {
        await sleep(CRASH_AFTER_MS);
        // Between two requests: the outbox is busy retrying, but no placeOrder is cut off half-way.
        // One that is (covered by order-capture.test.ts's crash drill) holds its key for the
        // idempotency lease, and its retries would wait out those 20 s, stretching the drill.
        let resume = (): void => undefined;
        held = new Promise((resolve) => {
          resume = resolve;
        });
        await eventually('the requests under way answered', async () => (inFlight === 0 ? true : null), 30_000, 5);
        await hub.killCommerce(0);
        held = null;
        resume();
        await sleep(CRASHED_FOR_MS);
        await hub.restartCommerce(0);
      })();
      for (let n = 0; performance.now() - started < OUTAGE_MS; n++) {
        placed.push(placeUntilAnswered(orderInput('erp-down', n)));
        await sleep(ORDER_EVERY_MS);
      }
      await crash;
      answers = await Promise.all(placed);
    } finally {
      await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'none' });
    }
    const healedAt = performance.now();

    expect(answers.filter((a) => a.refusal !== null || a.errors.length > 0 || a.order === null)).toEqual([]);
    for (const { order } of answers) expect(order).toMatchObject({ status: 'ACCEPTED', erpPosting: 'QUEUED', erpOrderNumber: null });
    const ids = answers.map((a) => a.order!.id);
    expect(new Set(ids).size).toBe(ids.length);

    // Every order reaches the ERP once it is back: the outbox (in MongoDB) outlived the crash. A
    // posting the crashed process had claimed waits out the outbox lease (20 s) first.
    const states = await eventually(
      'every order POSTED',
      async () => {
        const all = await postings(ids);
        return all.every((o) => o.erpPosting === 'POSTED') ? all : null;
      },
      90_000,
      500,
    );
    // The drill's result for the closing note (the issue asks for every posting within 30 s of the ERP's return).
    console.warn(`resilience drill: ${ids.length} orders taken during the outage, all POSTED ${((performance.now() - healedAt) / 1000).toFixed(1)} s after the ERP returned`);
    expect(states.filter((o) => !/^SO-/.test(o.erpOrderNumber ?? ''))).toEqual([]);
    const salesOrders = await erpSalesOrders(hub);
    expect(ids.filter((id) => salesOrders.get(id) !== 1).map((id) => [id, salesOrders.get(id) ?? 0])).toEqual([]);
    // ...and nothing else reached it: no order the shop was not told of (a crashed request placed
    // twice under a new id would show up here).
    expect([...salesOrders.keys()].filter((ref) => ref.startsWith('ORD-H')).sort()).toEqual([warm.order!.id, ...ids].sort());
  }, 180_000);

  it('a posting the ERP kept failing is FAILED with an exception; replayed after the ERP is fixed, it is posted exactly once', async () => {
    // Two attempts only (OUTBOX_MAX_ATTEMPTS), so the outbox gives up within a second. An ERP
    // answering every call with HTTP 500 would open its circuit, and the outbox holds the postings
    // of a backend known down without spending attempts (they go out when it is back): this drill
    // is about an ERP that is reachable and keeps refusing one posting, so its circuit stays closed.
    await hub.restartCommerce(0, { OUTBOX_MAX_ATTEMPTS: '2', CIRCUIT_MIN_CALLS: '100000' });
    const warm = await placeUntilAnswered(orderInput('warm-replay', 0));
    expect(warm.order).toMatchObject({ erpPosting: 'POSTED' });

    await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'error', errorRate: 1 });
    let orderId: string;
    try {
      const answer = await placeUntilAnswered(orderInput('doomed', 0));
      expect(answer.order).toMatchObject({ status: 'ACCEPTED', erpPosting: 'QUEUED' });
      orderId = answer.order!.id;
      const failed = await eventually(`${orderId} FAILED`, async () => {
        const { body } = await hub.query<OrderState>(ORDER_STATE, { id: orderId }, writer);
        return body.data?.order?.erpPosting === 'FAILED' ? body.data.order : null;
      });
      expect(failed.erpOrderNumber).toBeNull();
    } finally {
      await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'none' });
    }
    expect((await erpSalesOrders(hub)).get(orderId) ?? 0).toBe(0);

    const admin = await hub.token({ scopes: ['ops:admin', 'orders:read'] });
    const exceptions = await hub.query<{ exceptions: { edges: { node: { id: string; kind: string; subject: string; state: string; attempts: number } }[] } }>(
      /* GraphQL */ 'query($subject: String!) { exceptions(filter: { kinds: [ERP_POSTING], subject: $subject }) { edges { node { id kind subject state attempts } } } }',
      { subject: orderId },
      admin,
    );
    expect(exceptions.body.errors).toBeUndefined();
    const nodes = exceptions.body.data!.exceptions.edges.map((e) => e.node);
    expect(nodes).toEqual([{ id: expect.any(String), kind: 'ERP_POSTING', subject: orderId, state: 'OPEN', attempts: 2 }]);

    // The outbox posts a requeued posting through the ERP's circuit: once the ERP is back, an
    // order posted at once shows the circuit has closed (so the replay is not spent on it).
    await eventually('an order posted at once after the ERP healed', async () => {
      const probe = await placeUntilAnswered(orderInput('healed', 1));
      return probe.order?.erpPosting === 'POSTED' ? probe : null;
    });
    const replay = /* GraphQL */ 'mutation($ids: [ID!]!) { replayExceptions(ids: $ids) { results { id outcome exception { state } } } }';
    type Replay = { replayExceptions: { results: { id: string; outcome: string; exception: { state: string } | null }[] } };
    const first = await hub.query<Replay>(replay, { ids: [nodes[0]!.id] }, admin);
    expect(first.body.data?.replayExceptions.results).toEqual([{ id: nodes[0]!.id, outcome: 'REPLAYED', exception: { state: 'REPLAYED' } }]);
    expect((await postedState(orderId)).erpOrderNumber).toMatch(/^SO-/);
    const again = await hub.query<Replay>(replay, { ids: [nodes[0]!.id] }, admin);
    expect(again.body.data?.replayExceptions.results.map((r) => r.outcome)).toEqual(['ALREADY_REPLAYED']);
    expect((await erpSalesOrders(hub)).get(orderId)).toBe(1);
  }, 90_000);
});
