import type { HubStack } from '@crossdock/testkit';
import { backendCallsPer, readBackendCalls, resetBackendCalls, waitForQuietBackends, type BackendCallsPerRequest } from '../backend-calls';
import { runLoad, sampleProcess, sampleProcesses, type LoadResult, type ProcessUsage } from '../load';
import { runPacedLoad } from '../paced-load';
import { sampleMachine, type MachineUsage } from '../machine';
import { oneLine } from '../row-errors';
import type { Outcome, SuiteOptions } from '../suites';
import { ACCEPTED, UNRESOLVED, type AnswerTally } from './order-answers';
import { OrderFeed, resolveUndecided, sendOrder, type OrderPlan, type ResolveTarget } from './order-feed';
import { checkNoOversell, readSkuStock, type OversellCheck } from './sku-stock';
import { describePerOrder, ferretDbCommandCounts, perOrder, redisCommandCounts, type CommandCounts } from './store-commands';

/**
 * Longer than the gateway's 10 s subgraph timeout, so a slow order's answer (or the gateway's
 * timeout error) is what gets counted, not autocannon giving up on the connection.
 */
export const ANSWER_TIMEOUT_SECONDS = 30;
/** A paced row may hold this many times the closed-loop rows' connections open. */
const PACED_CONNECTIONS_PER_CLOSED_LOOP_CONNECTION = 4;
/** An overloaded hub keeps posting (outbox retries) well after the load stops; wait that long at most. */
const QUIET_WAIT_SECONDS = 120;

/** The running hub and how to reach and watch it; shared by both placeOrder rows. */
export interface OrderRowContext {
  hub: HubStack;
  target: ResolveTarget;
  /** Bearer token with `orders:write` and `inventory:read`, for the stock reads. */
  token: string;
  /** Unique per run, so no idempotency key repeats one of an earlier run on the same stores. */
  runId: string;
  /** Processes sampled besides the gateway, by name (commerce subgraph, simulators, Redis, FerretDB, …). */
  helperPids: Record<string, number>;
  ferretDbDebugUrl: string | null;
}

/** One placeOrder row. */
export interface OrderRowSpec {
  subject: string;
  /** Short name for keys and logs. */
  label: string;
  plan: OrderPlan;
  /** Run the zero-oversell check on this SKU (every order of the row names it). */
  checkSku: string | null;
  /** Hub orders earlier rows left in the order store. */
  ordersBefore: number;
  /** Send orders at this rate, evenly spaced, whether or not earlier ones were answered (warm-up and window), instead of closed-loop. */
  offeredPerSecond?: number;
}

/** A row's outcome and everything the notes say about it. */
export interface OrderRowResult {
  outcome: Outcome;
  /** Answers within the measured window. */
  window?: AnswerTally;
  /** Window requests without a final answer, asked again by idempotency key afterwards. */
  resolved?: AnswerTally;
  /** Answers per second autocannon counted, accepted or not. */
  answersPerSecond?: number;
  windowSeconds?: number;
  /** From the window's start until its last order made its last backend call (to the second). */
  drainedSeconds?: number;
  /** The gateway and every helper process over the window, by name. */
  processes?: Record<string, ProcessUsage>;
  /** Hub orders in the order store when the window began (earlier rows, the probe, the warm-up). */
  storedAtWindowStart?: number;
  /** Orders this row created in all: probe, warm-up, window and resolved. */
  ordersCreated?: number;
  machine?: MachineUsage;
  /** Per accepted order (window + resolved). */
  backendCalls?: BackendCallsPerRequest;
  redisPerOrder?: string;
  ferretDbPerOrder?: string;
  check?: OversellCheck;
}

/**
 * Verifies that one order is accepted, warms up, then measures: autocannon at a fixed number of
 * connections, every request a new order with its own idempotency key, every answer read. After
 * the window the undecided requests are resolved by key, the backends' and stores' counters are
 * divided by the accepted orders, and for a hot-SKU row the zero-oversell check runs.
 */
export async function measureOrderRow(context: OrderRowContext, spec: OrderRowSpec, options: SuiteOptions): Promise<OrderRowResult> {
  const log = (message: string): void => console.log(`place-order: ${spec.label}: ${message}`);
  const keyPrefix = `bench-${context.runId}-${spec.label}`;
  try {
    const probe = await placeProbe(context.target, new OrderFeed(spec.plan, `${keyPrefix}-probe`));
    if (probe !== ACCEPTED) return failed(`the verification order was not accepted: ${probe}`);
    const readStock = (sku: string) => () => readSkuStock(context.hub, context.token, sku);
    const before = spec.checkSku === null ? null : await readStock(spec.checkSku)();
    const { offeredPerSecond } = spec;
    const drive = (durationSeconds: number, feed: OrderFeed): Promise<LoadResult> =>
      offeredPerSecond === undefined
        ? runLoad({ url: context.target.url, method: 'POST', headers: context.target.headers, connections: options.connections, timeoutSeconds: ANSWER_TIMEOUT_SECONDS, durationSeconds, feed })
        : runPacedLoad({
            url: context.target.url,
            headers: context.target.headers,
            // Enough that a request never waits for a connection while the hub keeps up.
            connections: options.connections * PACED_CONNECTIONS_PER_CLOSED_LOOP_CONNECTION,
            timeoutSeconds: ANSWER_TIMEOUT_SECONDS,
            ratePerSecond: offeredPerSecond,
            durationSeconds,
            feed,
          });

    let warmupAccepted = 0;
    let warmupResolved: AnswerTally | undefined;
    if (options.warmupSeconds > 0) {
      log(`warming up ${options.warmupSeconds} s`);
      const warmup = new OrderFeed(spec.plan, `${keyPrefix}-w`);
      await drive(options.warmupSeconds, warmup);
      // The warm-up's cut-off orders finish first, so the window starts on a hub with nothing in flight.
      await waitForQuietBackends(context.hub.simulatorUrls, QUIET_WAIT_SECONDS);
      warmupResolved = await resolveUndecided(context.target, warmup.undecidedRequests());
      warmupAccepted = warmup.answers.accepted + warmupResolved.accepted;
    }

    await resetBackendCalls(context.hub.simulatorUrls);
    const stores = await readStoreCounts(context);
    log(`measuring ${options.durationSeconds} s ${offeredPerSecond === undefined ? `at ${options.connections} connections` : `offered at ${offeredPerSecond}/s`}`);
    const feed = new OrderFeed(spec.plan, `${keyPrefix}-m`);
    const gatewaySampler = sampleProcess(context.hub.gateway.pid);
    const helperSamplers = sampleProcesses(context.helperPids);
    const machineSampler = sampleMachine();
    const windowStartedAt = Date.now();
    // Samplers stop on failure too: a live interval would keep the harness from exiting.
    const result = await drive(options.durationSeconds, feed).finally(() => {
      gatewaySampler.stop();
      helperSamplers.stop();
      machineSampler.stop();
    });
    // Requests cut off when the window closed are still being served; their backend and store
    // calls belong to the window's orders, and asking again meanwhile would add duplicates' polls.
    const lastBackendCallAt = await waitForQuietBackends(context.hub.simulatorUrls, QUIET_WAIT_SECONDS);
    const storesAfter = await readStoreCounts(context);
    const backendTotals = await readBackendCalls(context.hub.simulatorUrls);
    const resolved = await resolveUndecided(context.target, feed.undecidedRequests());
    const accepted = feed.answers.accepted + resolved.accepted;
    log(`answers ${feed.answers.describe()}; resolved afterwards ${resolved.describe()}`);

    const usage = gatewaySampler.stop();
    const helpers = helperSamplers.stop();
    const row: OrderRowResult = {
      outcome: {
        kind: 'measured',
        load: {
          ...result,
          // The rate that matters is orders taken, not answers of any kind.
          requestsPerSecond: feed.answers.accepted / result.durationSeconds,
          mismatches: notAcceptedWith2xx(feed.answers),
          // With no answer in the window autocannon reports 0 ms; the truth is "longer than the window".
          ...(feed.answers.total === 0 ? { latencyP50Ms: Number.NaN, latencyP99Ms: Number.NaN } : {}),
        },
        usage,
        helpers,
      },
      window: feed.answers,
      resolved,
      answersPerSecond: result.requestsPerSecond,
      windowSeconds: result.durationSeconds,
      drainedSeconds: Math.max(result.durationSeconds, (lastBackendCallAt - windowStartedAt) / 1000),
      storedAtWindowStart: spec.ordersBefore + 1 + warmupAccepted,
      ordersCreated: 1 + warmupAccepted + accepted,
      processes: { gateway: usage, ...helpers },
      machine: machineSampler.stop(),
      ...(accepted > 0 ? { backendCalls: backendCallsPer(backendTotals, accepted) } : {}),
      ...(accepted > 0 ? storesPerOrder(stores, storesAfter, accepted) : {}),
    };
    if (spec.checkSku !== null && before !== null) {
      // The probe ran before `before` was read; every other order of the row was quantity 1.
      const undecided = (warmupResolved?.counts.get(UNRESOLVED) ?? 0) + (resolved.counts.get(UNRESOLVED) ?? 0);
      row.check = await checkNoOversell(readStock(spec.checkSku), before, { accepted: warmupAccepted + accepted, undecided }, spec.checkSku);
      log(row.check.text);
      if (!row.check.holds) row.outcome = { kind: 'failed', reason: row.check.text };
    }
    return row;
  } catch (error) {
    console.error(`place-order: ${spec.subject} failed:`, error);
    return failed(oneLine(error));
  }
}

/** Places the verification order, asking again by key while its answer is undecided; its code. */
async function placeProbe(target: ResolveTarget, feed: OrderFeed): Promise<string> {
  const { id, body } = feed.next();
  const first = await sendOrder(target, body);
  if (first.final) return first.code === ACCEPTED ? ACCEPTED : `${first.code} ${first.message ?? ''}`.trim();
  const again = await resolveUndecided(target, new Map([[id, body]]));
  return again.accepted === 1 ? ACCEPTED : again.describe();
}

interface StoreCounts {
  redis: CommandCounts;
  ferretDb: CommandCounts | null;
}

async function readStoreCounts(context: OrderRowContext): Promise<StoreCounts> {
  const [redis, ferretDb] = await Promise.all([
    redisCommandCounts(context.hub.redisUrl),
    context.ferretDbDebugUrl === null ? null : ferretDbCommandCounts(context.ferretDbDebugUrl),
  ]);
  return { redis, ferretDb };
}

function storesPerOrder(before: StoreCounts, after: StoreCounts, orders: number): Pick<OrderRowResult, 'redisPerOrder' | 'ferretDbPerOrder'> {
  return {
    redisPerOrder: describePerOrder(perOrder(before.redis, after.redis, orders)),
    ...(before.ferretDb && after.ferretDb ? { ferretDbPerOrder: describePerOrder(perOrder(before.ferretDb, after.ferretDb, orders)) } : {}),
  };
}

/** 2xx answers that were not an accepted order (a UserError or a GraphQL error in the body). */
function notAcceptedWith2xx(answers: AnswerTally): number {
  let count = 0;
  for (const [code, n] of answers.counts) if (code !== ACCEPTED && !code.startsWith('HTTP_')) count += n;
  return count;
}

function failed(reason: string): OrderRowResult {
  return { outcome: { kind: 'failed', reason } };
}
