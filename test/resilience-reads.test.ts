import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ERP_ONLY_VIEW, setSimulatorFault, startHubStack, UNIFIED_ORDER_VIEW, type HubStack, type OrderViewResult } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { circuitClosed, closedLoop, degradedAsOf, degradedSubgraphs, eventually, readiness, SEEDED_ORDERS, type TimedAnswer } from './support/drill-kit';
import { cheapSkus, freshKey, goodCustomer, PLACE_ORDER, type PlaceOrderAnswer } from './support/order-capture-kit';

/** The drill: 30 s of steady load, the ERP down for the middle 10 s. */
const LOAD_MS = 30_000;
const OUTAGE_STARTS_MS = 10_000;
const OUTAGE_MS = 10_000;
/** A few concurrent callers: steady load, not a stress test (CI has two cores for everything). */
const CLIENTS = 3;
/** Generous room for ERP answers that were under way when the fault switch flipped. */
const IN_FLIGHT_MS = 1_000;
const VIEW = { first: 10, filter: SEEDED_ORDERS };

describe('resilience drills: reads while backends and the hub’s own stores fail (real processes, Redis, FerretDB)', () => {
  let hub: HubStack;
  /** The unified view as served with everything healthy; every later answer must equal it. */
  let warmed: string;

  beforeAll(async () => {
    // A short open period, so that a healed backend is back in use within a second or two.
    hub = await startHubStack({ env: { CIRCUIT_OPEN_MS: '1000' } });
    const live = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, VIEW);
    expect(live.body.errors).toBeUndefined();
    warmed = JSON.stringify(live.body.data);
    // The drills need a snapshot of every ERP and WMS answer of this view: prove it by serving the
    // view with each backend down in turn.
    for (const backend of ['erp', 'wms'] as const) {
      await setSimulatorFault(hub.simulatorUrls[backend], { mode: 'down' });
      await eventually(`the view served from the ${backend} snapshots`, async () => {
        const answer = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, VIEW);
        return answer.body.errors === undefined && degradedSubgraphs(answer.body).includes(backend) ? answer : null;
      });
      await setSimulatorFault(hub.simulatorUrls[backend], { mode: 'none' });
      await circuitClosed(hub, backend);
    }
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('30 s of load with the ERP down for 10 s: no failed answer, every answer served from the ERP cache flagged', async () => {
    const loop = closedLoop(CLIENTS, LOAD_MS, () => hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, VIEW));
    await sleep(OUTAGE_STARTS_MS);
    const downAsked = performance.now();
    await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'down' });
    const downFrom = performance.now();
    const downFromAt = Date.now();
    await sleep(OUTAGE_MS);
    const healAsked = performance.now();
    await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'none' });
    const closedFrom = await circuitClosed(hub, 'erp');
    const answers = await loop;

    const failed = answers.filter((a) => a.status !== 200 || a.body?.errors !== undefined || JSON.stringify(a.body?.data) !== warmed);
    expect(failed.slice(0, 1).map(describeAnswer)).toEqual([]);
    expect(failed).toHaveLength(0);
    // Only the ERP was ever down: no other subgraph may claim a cached answer.
    expect(answers.filter((a) => !['', 'erp'].includes(degradedSubgraphs(a.body).join())).map(describeAnswer)).toEqual([]);

    // Each answer by whether it was asked and answered wholly before, inside or after the outage;
    // those straddling an edge may be either, and are only held to the checks above.
    const before = answers.filter((a) => a.endedAt < downAsked);
    const during = answers.filter((a) => a.startedAt > downFrom && a.endedAt < healAsked);
    const after = answers.filter((a) => a.startedAt > closedFrom);
    for (const [window, within] of [['before', before], ['during', during], ['after', after]] as const) {
      expect({ window, answers: within.length > 0 }).toEqual({ window, answers: true });
    }
    expect(before.filter((a) => degradedSubgraphs(a.body).length > 0).map(describeAnswer)).toEqual([]);
    expect(during.filter((a) => degradedSubgraphs(a.body).join() !== 'erp').map(describeAnswer)).toEqual([]);
    expect(after.filter((a) => degradedSubgraphs(a.body).length > 0).map(describeAnswer)).toEqual([]);
    for (const answer of during) {
      // As of the ERP's last answers before the outage (those in flight when the switch flipped
      // are remembered a moment after it): nothing was refreshed while the ERP was down.
      const [asOf] = degradedAsOf(answer.body);
      expect(asOf).toBeLessThanOrEqual(downFromAt + IN_FLIGHT_MS);
    }
  });

  it('a slow WMS (2 s) delays only the answers that need it; ERP-only answers arrive while it is still awaited', async () => {
    await setSimulatorFault(hub.simulatorUrls.wms, { mode: 'slow', latencyMs: 2_000 });
    try {
      const customerId = goodCustomer();
      const erpOnlyLive = await hub.query(ERP_ONLY_VIEW, { customerId });
      let mixedAnswered = false;
      const mixed = hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, VIEW).finally(() => {
        mixedAnswered = true;
      });
      // While the mixed query waits on the WMS (its latency is at least the backend timeout, so
      // the answer cannot come sooner), ERP-only queries are answered, complete and live. This is
      // an ordering of outcomes, not a speed assertion: the ERP path never waits on the WMS.
      const erpOnly: { answeredBeforeMixed: boolean; status: number; body: unknown }[] = [];
      for (let i = 0; i < 5; i++) {
        const answer = await hub.query(ERP_ONLY_VIEW, { customerId });
        erpOnly.push({ answeredBeforeMixed: !mixedAnswered, status: answer.status, body: answer.body });
      }
      expect(erpOnly).toEqual(Array.from({ length: 5 }, () => ({ answeredBeforeMixed: true, status: 200, body: erpOnlyLive.body })));
      expect(erpOnlyLive.body.extensions).toBeUndefined();

      // The mixed query still answers, complete: the WMS fields live (slowly) or from the WMS
      // snapshots, flagged; the ERP fields unaffected.
      const answer = await mixed;
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(JSON.stringify(answer.body.data)).toBe(warmed);
      expect([[], ['wms']]).toContainEqual(degradedSubgraphs(answer.body));
    } finally {
      await setSimulatorFault(hub.simulatorUrls.wms, { mode: 'none' });
    }
    await circuitClosed(hub, 'wms');
  });

  it('MongoDB killed: live reads served without errors, /ready shows the snapshot store down; restarted: up again', async () => {
    const mongo = hub.mongo!;
    const reads: { status: number; errors: unknown; extensions: unknown; same: boolean }[] = [];
    const read = async () => {
      const answer = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, VIEW);
      reads.push({ status: answer.status, errors: answer.body.errors, extensions: answer.body.extensions, same: JSON.stringify(answer.body.data) === warmed });
    };
    await mongo.kill();
    try {
      // Every read queues snapshots whose write then fails: the subgraph notices the store is down.
      const ready = await eventually('the ERP subgraph reporting its snapshot store down', async () => {
        await read();
        const report = await readiness(hub.subgraph('erp').url);
        return String(report.checks.snapshots).startsWith('down') ? report : null;
      });
      await read();
      expect(reads.filter((r) => r.status !== 200 || r.errors !== undefined || r.extensions !== undefined || !r.same)).toEqual([]);
      // The fallback cache being down never takes the subgraph out of rotation: it still answers live.
      expect(ready.status).toBe(200);
      expect(ready.checks).toMatchObject({ erp: 'up', circuit: 'closed', snapshots: expect.stringMatching(/^down since \d{4}-\d\d-\d\dT.*Z: /) });
    } finally {
      await mongo.restart();
    }
    await eventually('the ERP subgraph reporting its snapshot store up', async () => {
      await read();
      const report = await readiness(hub.subgraph('erp').url);
      return report.checks.snapshots === 'up' ? report : null;
    });
    expect(reads.filter((r) => r.status !== 200 || r.errors !== undefined || r.extensions !== undefined || !r.same)).toEqual([]);
  });

  it('Redis killed: reads keep working, placeOrder refuses with TEMPORARILY_UNAVAILABLE; restarted: orders are taken', async () => {
    const redis = hub.redis!;
    const writer = await hub.token({ scopes: ['orders:write', 'orders:read', 'pricing:read'] });
    const order = (key: string) => ({ input: { idempotencyKey: key, channel: 'web', customerId: goodCustomer(), lines: [{ sku: cheapSkus()[0]!, quantity: 1 }] } });
    await redis.kill();
    try {
      const read = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, VIEW);
      expect([read.status, read.body.errors, read.body.extensions]).toEqual([200, undefined, undefined]);
      expect(JSON.stringify(read.body.data)).toBe(warmed);

      const refused = await hub.query<PlaceOrderAnswer>(PLACE_ORDER, order(freshKey('redis-down')), writer);
      expect(refused.status).toBe(200);
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['placeOrder'], 'TEMPORARILY_UNAVAILABLE']]);
    } finally {
      await redis.restart();
    }
    // The clients reconnect on their own; the first orders after the restart may still find them reconnecting.
    const accepted = await eventually('an order accepted after Redis restarted', async () => {
      const answer = await hub.query<PlaceOrderAnswer>(PLACE_ORDER, order(freshKey('redis-back')), writer);
      return answer.body.data?.placeOrder.order ? answer.body.data.placeOrder : null;
    });
    expect(accepted.errors).toEqual([]);
    expect(accepted.order).toMatchObject({ status: 'ACCEPTED' });
  });
});

/** An answer, short enough for a failure message. */
function describeAnswer(answer: TimedAnswer<unknown>): string {
  return `${answer.status} ${answer.failure ?? JSON.stringify({ errors: answer.body?.errors, extensions: answer.body?.extensions }).slice(0, 400)}`;
}
