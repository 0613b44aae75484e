import { startHubStack, UNIFIED_ORDER_VIEW, type HubStack, type ServiceProcess, type SubgraphName } from '@crossdock/testkit';
import { postGraphQL } from '../federation/answer-check';
import { measureRotating, roundsOf } from '../federation/rotating-windows';
import { totalsOf, type Window, type WindowSubject } from '../governance/alternating-windows';
import type { ProcessUsage } from '../load';
import { startTrackedProcess } from '../service-processes';
import type { Measurement, Outcome, Suite, SuiteOptions, SuiteResult } from '../suites';
import {
  addBackendCalls,
  backendCallsPer,
  describeBackendCalls,
  readBackendCalls,
  resetBackendCalls,
  type BackendCallCounts,
  type BackendCallsPerRequest,
} from '../backend-calls';
import { backingServiceProcesses, hubHelperPids } from '../hub-processes';
import { attempt as attemptStep, oneLine, type Attempt } from '../row-errors';
import { stopStackOnExit } from '../stack-cleanup';
import { EVERY_REQUEST_EXECUTED } from '../governance/governed-gateways';
import { compareWithGateway, orderNodesOf, type FloorComparison } from './floor-check';
import { FLOOR_ENTRY, FLOOR_SERVICE } from './floor-service';

/** Settings of this suite beyond the harness-wide {@link SuiteOptions}. */
export interface UnifiedOrderViewConfig {
  /** The suite's name: `--suite <name>`, and the section of docs/benchmarks.md it writes. */
  name: string;
  /** Base latency of every simulator answer, in ms; 0 shows the hub's own overhead. */
  simulatorLatencyMs: number;
}

const GATEWAY = 'crossdock gateway';
const FLOOR = 'hand-written client (floor)';
/** The page size of the performance issue's query. */
const ORDERS_PER_REQUEST = 20;
/** The issue's target for gateway p50 ÷ floor p50. */
const TARGET_P50_RATIO = 1.5;

/** A suite measuring the unified order view through the gateway against its hand-written floor. */
export function createUnifiedOrderViewSuite(config: UnifiedOrderViewConfig): Suite {
  return { name: config.name, run: (options) => runUnifiedOrderView(config, options) };
}

/** `npm run bench -- --suite unified-order-view`, simulators answering without added latency: the hub's own overhead. */
export const unifiedOrderViewSuite: Suite = createUnifiedOrderViewSuite({ name: 'unified-order-view', simulatorLatencyMs: 0 });

/**
 * `npm run bench -- --suite unified-order-view-50ms`: the same with every backend answer 50 ms
 * late, still quicker than most real ERPs and carriers, so the floor pays the backends' latency
 * as well and the ratio shows what the hub adds to a realistic request.
 */
export const unifiedOrderViewLatencySuite: Suite = createUnifiedOrderViewSuite({ name: 'unified-order-view-50ms', simulatorLatencyMs: 50 });

/** A row's result; the backend calls go into the notes, as the table has no column for them. */
interface RowResult {
  outcome: Outcome;
  calls?: BackendCallsPerRequest;
}

async function runUnifiedOrderView(config: UnifiedOrderViewConfig, options: SuiteOptions): Promise<SuiteResult> {
  // What must be stopped however the run ends; filled as things start.
  const owned: { stack?: HubStack; floor?: ServiceProcess; undoCleanup?: () => void } = {};
  /** Runs a step whose failure fails a row rather than the whole suite. */
  const attempt = <T>(step: () => Promise<T>): Promise<Attempt<T>> => attemptStep(config.name, step);
  try {
    console.log(`${config.name}: starting simulators (latency ${config.simulatorLatencyMs} ms), 4 subgraphs and the gateway`);
    // Every request executed in full, like the floor: with coalescing on (the gateway's default) the
    // load's identical concurrent requests would share one execution and the backends would see a
    // tenth of the calls.
    const started = await attempt(() =>
      startHubStack({ simulatorLatencyMs: config.simulatorLatencyMs, env: { NODE_ENV: 'production' }, serviceEnv: { gateway: { ...EVERY_REQUEST_EXECUTED } } }),
    );
    if (!started.ok) {
      const reason = `the hub did not start: ${started.reason}`;
      return suiteResult(config, { gateway: failed(reason), floor: failed(reason) });
    }
    const hub = started.value;
    owned.stack = hub;
    owned.undoCleanup = stopStackOnExit(hub);
    const body = JSON.stringify({ query: UNIFIED_ORDER_VIEW, variables: { first: ORDERS_PER_REQUEST } });
    // Both rows get the same bytes; only the gateway verifies the token.
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await hub.token()}` };
    const gatewayUrl = `${hub.gatewayUrl}/graphql`;

    const gatewayAnswer = await attempt(async () => orderNodesOf(await postGraphQL(gatewayUrl, body, headers), 'the gateway'));
    if (!gatewayAnswer.ok) {
      return suiteResult(config, { gateway: failed(`wrong answer: ${gatewayAnswer.reason}`), floor: failed('no gateway answer to check it against') });
    }
    const floorCheck = await attempt(async () => {
      const server = await startTrackedProcess({ name: FLOOR_SERVICE, entry: FLOOR_ENTRY, env: floorEnv(hub.simulatorUrls) });
      owned.floor = server;
      const url = `${server.url}/order-view`;
      const comparison = compareWithGateway(gatewayAnswer.value, orderNodesOf(await postGraphQL(url, body, headers), 'the floor'));
      return { url, pid: server.pid, comparison };
    });

    const load = { method: 'POST' as const, headers, body, connections: options.connections, acceptBody };
    const subjects: WindowSubject[] = [{ name: GATEWAY, pid: hub.gateway.pid, load: { ...load, url: gatewayUrl } }];
    if (floorCheck.ok) subjects.push({ name: FLOOR, pid: floorCheck.value.pid, load: { ...load, url: floorCheck.value.url } });
    const measured = await measureInTurn(config.name, subjects, hub.simulatorUrls, options);
    const floorRow = floorCheck.ok ? measured.rows.get(FLOOR)! : failed(floorCheck.reason); // a subject when the floor started
    return suiteResult(config, { gateway: measured.rows.get(GATEWAY)!, floor: floorRow }, measured.windows, floorCheck.ok ? floorCheck.value.comparison : undefined);
  } finally {
    await owned.floor?.stop();
    await owned.stack?.stop();
    owned.undoCleanup?.();
  }
}

/**
 * Measures the gateway and the floor in turn, in rounds of short windows, each round starting
 * with the other one (the federation suite's rotation), so that a machine that speeds up or
 * slows down during the run weighs on both alike; the rows are then compared window by window.
 * Backend calls are counted per window and added up per subject.
 */
async function measureInTurn(
  suite: string,
  subjects: readonly WindowSubject[],
  simulatorUrls: Record<SubgraphName, string>,
  options: SuiteOptions,
): Promise<{ rows: Map<string, RowResult>; windows: Window[] }> {
  const { rounds, windowSeconds } = roundsOf(options.durationSeconds);
  const calls = new Map<string, { counts: BackendCallCounts[]; requests: number }>(subjects.map((subject) => [subject.name, { counts: [], requests: 0 }]));
  const rows = new Map<string, RowResult>();
  try {
    const windows = await measureRotating(subjects, {
      rounds,
      windowSeconds,
      warmupSeconds: options.warmupSeconds,
      helperPids: () => ({ ...hubHelperPids(), ...backingPids() }),
      label: suite,
      beforeWindow: () => resetBackendCalls(simulatorUrls),
      // Closed loop: when a window closed, every connection still had one request in flight.
      afterWindow: async (subject, window) => {
        const own = calls.get(subject.name)!; // one entry per subject
        own.counts.push(await readBackendCalls(simulatorUrls));
        own.requests += window.load.totalRequests + options.connections;
      },
    });
    for (const subject of subjects) {
      const totals = totalsOf(windows.filter((window) => window.subject === subject.name));
      const own = calls.get(subject.name)!;
      const perRequest = backendCallsPer(addBackendCalls(own.counts), own.requests);
      console.log(`${suite}: ${subject.name}: p50 ${totals.load.latencyP50Ms} ms (median of windows), backend calls per request ${describeBackendCalls(perRequest)}`);
      rows.set(subject.name, { outcome: { kind: 'measured', load: totals.load, usage: totals.usage, helpers: totals.helpers }, calls: perRequest });
    }
    return { rows, windows };
  } catch (error) {
    console.error(`${suite}: measuring failed:`, error);
    for (const subject of subjects) rows.set(subject.name, failed(oneLine(error)));
    return { rows, windows: [] };
  }
}

function suiteResult(
  config: UnifiedOrderViewConfig,
  rows: { gateway: RowResult; floor: RowResult },
  windows: readonly Window[] = [],
  comparison?: FloorComparison,
): SuiteResult {
  const measurements: Measurement[] = [
    { subject: GATEWAY, outcome: rows.gateway.outcome },
    { subject: FLOOR, outcome: rows.floor.outcome },
  ];
  const notes: string[] = [];
  const [gateway, floor] = [rows.gateway.outcome, rows.floor.outcome];
  if (gateway.kind === 'measured' && floor.kind === 'measured') {
    const ratio = gateway.load.latencyP50Ms / floor.load.latencyP50Ms;
    notes.push(
      `**gateway p50 ÷ floor p50 = ${ratio.toFixed(2)}×** (${gateway.load.latencyP50Ms} ms ÷ ${floor.load.latencyP50Ms} ms, each the median of its windows' p50; ` +
        `the performance issue's target is ≤ ${TARGET_P50_RATIO}×, ${ratio <= TARGET_P50_RATIO ? 'met' : 'not met'}).`,
    );
    const rounds = roundRatios(windows);
    if (rounds.length > 0) {
      const met = rounds.filter((round) => round.ratio <= TARGET_P50_RATIO).length;
      notes.push(
        `Round by round (gateway p50 ÷ floor p50 of the two windows of each round): ` +
          `${rounds.map((round) => `${round.ratio.toFixed(2)}× (${round.gateway} / ${round.floor} ms)`).join(', ')}; ` +
          `≤ ${TARGET_P50_RATIO}× in ${met} of ${rounds.length}.`,
      );
    }
  }
  for (const [subject, row] of [[GATEWAY, rows.gateway], [FLOOR, rows.floor]] as const) {
    if (row.outcome.kind === 'measured') notes.push(cpuPerRequestNote(subject, row.outcome));
    if (row.calls) notes.push(`Backend calls per request, ${subject}: ${describeBackendCalls(row.calls)}.`);
  }
  if (comparison) {
    notes.push(
      `The floor's answer was checked once against the gateway's: the same ${comparison.orders} order ids and totals; ` +
        `${comparison.identicalOrders} of ${comparison.orders} orders identical in every selected field.`,
    );
  }
  notes.push(
    `The floor is a plain TypeScript client on the same connectors (bench/src/unified-order-view/floor-client.ts) behind a bare ` +
      `node:http server: the commerce order list, then the 8 ERP, WMS and shipping lookups in parallel. No GraphQL, no token check, ` +
      `no Relay cursors.`,
    `"${FLOOR} req/s ÷ this": at a fixed number of connections this is close to the ratio of mean latencies.`,
    '"bad bodies": 2xx answers containing `errors`; every body is checked.',
    'All processes (simulators, 4 subgraphs, FerretDB, Redis, gateway, floor, autocannon) share the same cores; the helper lines above show their CPU.',
  );
  return {
    suite: config.name,
    title: `${config.name}: the gateway against the hand-written floor${config.simulatorLatencyMs > 0 ? `, backends answering after ${config.simulatorLatencyMs} ms` : ''}`,
    description:
      `The \`UNIFIED_ORDER_VIEW\` query (packages/testkit/src/order-view.ts: ${ORDERS_PER_REQUEST} orders with fields from all four ` +
      `subgraphs) posted with a read-all bearer token to the Crossdock gateway of a full hub started by \`startHubStack\` ` +
      `(backend simulators with ${config.simulatorLatencyMs} ms added latency, 4 subgraphs, gateway, each its own process; ` +
        `the gateway executes every request: \`GATEWAY_COALESCING=off\`, \`GATEWAY_SUBGRAPH_DEDUPLICATION=off\`), ` +
      `and the same request to a hand-written client that fetches the same data straight from the four backends. ` +
      `Closed-loop load on the same simulators, the two rows measured in turn: rounds of short windows, each round starting with the other row, ` +
      `so that the machine's other work falls on both alike; p50 and p99 are the medians of each row's windows; ` +
      `backend calls counted by the simulators during each window.`,
    ratioOf: FLOOR,
    measurements,
    notes,
  };
}

/** The gateway's and the floor's window of each round, in run order (a round holds one of each). */
function roundRatios(windows: readonly Window[]): { ratio: number; gateway: number; floor: number }[] {
  const gateway = windows.filter((window) => window.subject === GATEWAY);
  const floor = windows.filter((window) => window.subject === FLOOR);
  return gateway.slice(0, floor.length).map((window, i) => {
    const floorP50 = floor[i]!.load.latencyP50Ms; // i < floor.length
    return { ratio: window.load.latencyP50Ms / floorP50, gateway: window.load.latencyP50Ms, floor: floorP50 };
  });
}

/**
 * CPU time per answered request of the subject and of every process behind it: on a machine
 * shared with other work this compares better between runs than req/s or latency.
 */
function cpuPerRequestNote(subject: string, outcome: Extract<Outcome, { kind: 'measured' }>): string {
  const perRequest = (usage: ProcessUsage) => (usage.cpuPercent * 10) / outcome.load.requestsPerSecond;
  const processes: [string, ProcessUsage][] = [[subject, outcome.usage], ...Object.entries(outcome.helpers ?? {})];
  const parts = processes.filter(([name]) => name !== 'load generator').map(([name, usage]) => [name, perRequest(usage)] as const);
  const total = parts.reduce((sum, [, ms]) => sum + ms, 0);
  return (
    `CPU ms per request, ${subject}: ${parts.map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(', ')}; ` +
    `**${total.toFixed(2)} ms in all** (load generator left out).`
  );
}

/** FerretDB (the fallback cache's snapshots are written to it) and Redis, when the stack runs its own. */
function backingPids(): Record<string, number> {
  const { ferretDb, redis } = backingServiceProcesses();
  return { ...(ferretDb ? { FerretDB: ferretDb.pid } : {}), ...(redis ? { Redis: redis.pid } : {}) };
}

function floorEnv(simulatorUrls: Record<SubgraphName, string>): Record<string, string> {
  return {
    PORT: '0',
    NODE_ENV: 'production',
    ERP_URL: simulatorUrls.erp,
    WMS_URL: simulatorUrls.wms,
    COMMERCE_URL: simulatorUrls.commerce,
    SHIPPING_URL: simulatorUrls.shipping,
  };
}

/** Cheap enough for every response, as in the federation suite. */
function acceptBody(body: string): boolean {
  return !body.includes('"errors"');
}

function failed(reason: string): RowResult {
  return { outcome: { kind: 'failed', reason } };
}

