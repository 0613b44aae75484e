import { randomBytes } from 'node:crypto';
import { startHubStack, type HubStack } from '@crossdock/testkit';
import { backingServiceProcesses, hubHelperPids } from '../hub-processes';
import { attempt, oneLine } from '../row-errors';
import { stopStackOnExit } from '../stack-cleanup';
import type { Measurement, Suite, SuiteOptions, SuiteResult } from '../suites';
import { measureOrderRow, type OrderRowContext, type OrderRowResult, type OrderRowSpec } from './order-row';
import { orderMix, type OrderMix } from './order-mix';
import { orderRowNotes, stepRowNotes, suiteNotes, TARGETS, type StepRow } from './row-notes';
import type { StepResult } from './closed-loop';
import { measureOrderStoreStep } from './order-store-step';
import { measureReservationStep, type StepStore } from './reservation-step';
import { raiseStock } from './sku-stock';

const SUITE = 'place-order';
/** A receipt big enough that no run at any duration sells the hot SKU out. */
const HOT_SKU_RECEIPT = 1_000_000;
/** Per spread SKU: a thousand times what one SKU gets in a 20 s window at the target rate. */
const SPREAD_SKU_RECEIPT = 100_000;
/** What the order-taking token may do: place orders, read them back, read stock for the check. */
const ORDER_SCOPES = ['orders:write', 'orders:read', 'inventory:read'];

/** `npm run bench -- --suite place-order`: placeOrder through the gateway, and the reservation step alone. */
export const placeOrderSuite: Suite = { name: SUITE, run: runPlaceOrder };

async function runPlaceOrder(options: SuiteOptions): Promise<SuiteResult> {
  let stack: HubStack | undefined;
  let undoCleanup: (() => void) | undefined;
  const mix = orderMix();
  const subjects = rowSubjects(mix);
  try {
    console.log(`${SUITE}: starting Redis, FerretDB, simulators, 4 subgraphs and one gateway replica`);
    const started = await attempt(SUITE, () => startHubStack({ replicas: 1, env: { NODE_ENV: 'production' }, ferretDbDebugHandler: true }));
    if (!started.ok) return suiteResult(options, mix, allFailed(subjects, `the hub did not start: ${started.reason}`));
    const hub = started.value;
    stack = hub;
    undoCleanup = stopStackOnExit(hub);

    const stocked = await attempt(SUITE, () => raiseAllStock(hub, mix));
    const context = await orderRowContext(hub, options.connections);
    const spreadPlan = { skus: mix.spreadSkus, customers: mix.customerTurns, channel: 'web' };
    const hotPlan = { skus: [mix.hotSku], customers: mix.customerTurns, channel: 'web' };
    const measure = (spec: OrderRowSpec): Promise<OrderRowResult> =>
      stocked.ok ? measureOrderRow(context, spec, options) : Promise.resolve(failedRow(`raising stock failed: ${stocked.reason}`));
    const spread = await measure({ subject: subjects.spread, label: 'spread', plan: spreadPlan, checkSku: null, ordersBefore: 0 });
    let ordersBefore = spread.ordersCreated ?? 0;
    const hot = await measure({ subject: subjects.hot, label: 'hot', plan: hotPlan, checkSku: mix.hotSku, ordersBefore });
    // The targets' own words: so many orders per second with p99 under 250 ms "at those rates".
    ordersBefore += hot.ordersCreated ?? 0;
    const hotOffered = await measure({ subject: subjects.hotOffered, label: 'hot-paced', plan: hotPlan, checkSku: mix.hotSku, ordersBefore, offeredPerSecond: TARGETS.hotOrdersPerSecond });
    // Last: at 500/s the hub falls behind and leaves thousands of orders in the store.
    ordersBefore += hotOffered.ordersCreated ?? 0;
    const spreadOffered = await measure({
      subject: subjects.spreadOffered,
      label: 'spread-paced',
      plan: spreadPlan,
      checkSku: null,
      ordersBefore,
      offeredPerSecond: TARGETS.spreadOrdersPerSecond,
    });

    const redisPid = backingServiceProcesses().redis?.pid;
    const steps: StepRow[] = [];
    for (const store of ['redis', 'memory'] as const) {
      for (const [skus, name] of [[[mix.hotSku], 'hot'], [mix.spreadSkus, 'spread']] as const) {
        steps.push(await stepRow(store, subjects.step(store, name), skus, hub, mix, options, store === 'redis' && redisPid ? { 'redis-server': redisPid } : {}));
      }
    }
    steps.push(await orderStoreRow(subjects.orderStore, hub, options));
    return suiteResult(options, mix, { spread, hot, spreadOffered, hotOffered, steps });
  } finally {
    await stack?.stop();
    undoCleanup?.();
  }
}

interface Rows {
  spread: OrderRowResult;
  hot: OrderRowResult;
  /** The same orders offered at the target rates instead of as fast as answered. */
  spreadOffered: OrderRowResult;
  hotOffered: OrderRowResult;
  steps: StepRow[];
}

async function raiseAllStock(hub: HubStack, mix: OrderMix): Promise<void> {
  await raiseStock(hub.simulatorUrls.wms, mix.hotSku, mix.warehouseId, HOT_SKU_RECEIPT);
  for (const sku of mix.spreadSkus) await raiseStock(hub.simulatorUrls.wms, sku, mix.warehouseId, SPREAD_SKU_RECEIPT);
}

async function orderRowContext(hub: HubStack, connections: number): Promise<OrderRowContext> {
  const token = await hub.token({ scopes: ORDER_SCOPES });
  const backing = backingServiceProcesses();
  const helpers = hubHelperPids();
  const commerce = hub.replicas[0]?.commerce.pid;
  return {
    hub,
    target: { url: `${hub.gatewayUrl}/graphql`, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, concurrency: connections },
    token,
    runId: randomBytes(4).toString('hex'),
    helperPids: {
      ...helpers,
      ...(commerce === undefined ? {} : { 'commerce subgraph': commerce }),
      ...(backing.redis ? { 'redis-server': backing.redis.pid } : {}),
      ...(backing.ferretDb ? { FerretDB: backing.ferretDb.pid } : {}),
      'load generator': process.pid,
    },
    ferretDbDebugUrl: backing.ferretDb?.debugUrl ?? null,
  };
}

async function stepRow(
  store: StepStore,
  subject: string,
  skus: readonly string[],
  hub: HubStack,
  mix: OrderMix,
  options: SuiteOptions,
  helperPids: Record<string, number>,
): Promise<StepRow> {
  return stepAlone(subject, 'reservation', options, () =>
    measureReservationStep(store, skus, {
      redisUrl: hub.redisUrl,
      // Its own prefix: the hub's ledger and reservations (`crossdock:`) stay untouched.
      keyPrefix: `crossdock-bench:reservation-step:${randomBytes(4).toString('hex')}:`,
      warehouseIds: mix.warehouseIds,
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      helperPids,
    }),
  );
}

async function orderStoreRow(subject: string, hub: HubStack, options: SuiteOptions): Promise<StepRow> {
  const ferretDb = backingServiceProcesses().ferretDb;
  return stepAlone(subject, 'order', options, () =>
    measureOrderStoreStep({
      mongoUrl: hub.mongoUrl,
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      helperPids: ferretDb ? { FerretDB: ferretDb.pid } : {},
    }),
  );
}

/** One step-alone row: measured, or failed with the reason (logged), never thrown. */
async function stepAlone(subject: string, unit: StepRow['unit'], options: SuiteOptions, measure: () => Promise<StepResult>): Promise<StepRow> {
  console.log(`${SUITE}: ${subject}: ${options.warmupSeconds} s warm-up, ${options.durationSeconds} s measured`);
  try {
    const result = await measure();
    return { subject, unit, result, outcome: { kind: 'measured', load: result.load, usage: result.usage, helpers: result.helpers } };
  } catch (error) {
    console.error(`${SUITE}: ${subject} failed:`, error);
    return { subject, unit, outcome: { kind: 'failed', reason: oneLine(error) } };
  }
}

function rowSubjects(mix: OrderMix) {
  const storeName = (store: StepStore): string => (store === 'redis' ? 'RedisReservationStore' : 'MemoryReservationStore');
  return {
    spread: `placeOrder, spread over ${mix.spreadSkus.length} SKUs`,
    hot: 'placeOrder, one hot SKU',
    spreadOffered: `placeOrder, spread over ${mix.spreadSkus.length} SKUs, offered at ${TARGETS.spreadOrdersPerSecond}/s`,
    hotOffered: `placeOrder, one hot SKU, offered at ${TARGETS.hotOrdersPerSecond}/s`,
    orderStore: 'order store alone, MongoOrderStore on FerretDB (insert, then the immediate posting recorded)',
    step: (store: StepStore, skus: 'hot' | 'spread'): string =>
      `reservation step alone, ${storeName(store)}, ${skus === 'hot' ? 'one hot SKU' : `spread over ${mix.spreadSkus.length} SKUs`}`,
  };
}

function failedRow(reason: string): OrderRowResult {
  return { outcome: { kind: 'failed', reason } };
}

function allFailed(subjects: ReturnType<typeof rowSubjects>, reason: string): Rows {
  const steps: StepRow[] = (['redis', 'memory'] as const).flatMap((store) =>
    (['hot', 'spread'] as const).map((skus) => ({ subject: subjects.step(store, skus), unit: 'reservation' as const, outcome: { kind: 'failed' as const, reason } })),
  );
  steps.push({ subject: subjects.orderStore, unit: 'order', outcome: { kind: 'failed', reason } });
  return { spread: failedRow(reason), hot: failedRow(reason), spreadOffered: failedRow(reason), hotOffered: failedRow(reason), steps };
}

function suiteResult(options: SuiteOptions, mix: OrderMix, rows: Rows): SuiteResult {
  const subjects = rowSubjects(mix);
  const measurements: Measurement[] = [
    { subject: subjects.spread, outcome: rows.spread.outcome },
    { subject: subjects.hot, outcome: rows.hot.outcome },
    { subject: subjects.spreadOffered, outcome: rows.spreadOffered.outcome },
    { subject: subjects.hotOffered, outcome: rows.hotOffered.outcome },
    ...rows.steps.map((step) => ({ subject: step.subject, outcome: step.outcome })),
  ];
  return {
    suite: SUITE,
    title: 'place-order: taking orders, and the stock reservation step alone',
    description:
      'placeOrder mutations posted to the Crossdock gateway of a full hub started by `startHubStack` (one gateway replica with its ' +
      'commerce subgraph, erp/wms/shipping subgraphs, the backend simulators, a real Redis and a real FerretDB, each its own process), ' +
      'every request a new order with its own idempotency key and every answer read; first spread over many SKUs, then all on one hot SKU, ' +
      'followed by a zero-oversell check; then both again with the orders offered at the target rates (500/s spread, 200/s hot) instead of as fast as ' +
      'they are answered. Then the reservation step alone (StockReservations in the bench process, closed loop at the same ' +
      'concurrency) over RedisReservationStore on the stack\'s Redis and over MemoryReservationStore.',
    headings: { subject: 'Row', rate: 'orders/s · reservations/s', badBodies: 'not accepted' },
    loadDescription:
      `${options.connections} concurrent requests (autocannon for placeOrder, async workers for the reservation step; the "offered at" rows open-loop at that rate instead), ` +
      `${options.warmupSeconds} s warm-up then ${options.durationSeconds} s measured per row`,
    measurements,
    notes: [
      ...orderRowNotes(subjects.spread, rows.spread, null),
      ...orderRowNotes(subjects.hot, rows.hot, mix.hotSku),
      ...orderRowNotes(subjects.spreadOffered, rows.spreadOffered, null, TARGETS.spreadOrdersPerSecond),
      ...orderRowNotes(subjects.hotOffered, rows.hotOffered, mix.hotSku, TARGETS.hotOrdersPerSecond),
      ...stepRowNotes(rows.steps),
      ...suiteNotes(mix, [rows.spread, rows.hot, rows.spreadOffered, rows.hotOffered], { hot: HOT_SKU_RECEIPT, spread: SPREAD_SKU_RECEIPT }),
    ],
  };
}
