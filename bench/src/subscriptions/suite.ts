import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { repoRoot, startRedis, type BackingService, type ServiceProcess } from '@crossdock/testkit';
import { readRssKiB, sampleProcess, sampleProcesses, type ProcessUsage } from '../load';
import { oneLine } from '../row-errors';
import { startTrackedProcess } from '../service-processes';
import type { Measurement, Outcome, Suite, SuiteOptions, SuiteResult } from '../suites';
import { CROSSDOCK_GATEWAY_ENTRY, prepareCrossdockLaunch } from '../federation/crossdock-gateway';
import { catalogTypeDefs, stockTypeDefs } from './event-subgraphs';
import { sampleLiveHeap, type LiveHeapTrend } from './live-heap-sampler';
import type { ConnectRequest, LoadResults } from './subscriber-load';

/** One load shape of the issue: how many subscribers, how many events, and who takes which. */
interface Scenario {
  name: string;
  subscribers: number;
  eventsPerSecond: number;
  mode: ConnectRequest['mode'];
  skusPerSubscriber: number;
  /** Seconds of events; when absent, the run's `--duration`. */
  durationSeconds?: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'broadcast', subscribers: 1_000, eventsPerSecond: 100, mode: 'broadcast', skusPerSubscriber: 1 },
  // Five minutes, because the issue asks for memory flat over a 5-minute run.
  { name: 'filtered', subscribers: 10_000, eventsPerSecond: 200, mode: 'filtered', skusPerSubscriber: 2, durationSeconds: 300 },
];

interface Contender {
  subject: string;
  service: string;
  entry: string;
  env: Record<string, string>;
  /** Whether the gateway serves Crossdock's /metrics (the live heap after full GC). */
  crossdockMetrics: boolean;
}

/** A measured row: what the clients saw, and what the processes used. */
interface Row {
  scenario: Scenario;
  subject: string;
  outcome: Outcome;
  emitted?: number;
  /** Clients the gateway did not accept (closed before `connection_ack`). */
  notConnected?: number;
  results?: LoadResults;
  kibPerSubscriber?: number;
  gateway?: ProcessUsage;
  /** Crossdock's live heap after each full GC in the measured window (from its /metrics); peers expose none. */
  liveHeap?: LiveHeapTrend;
  helpers?: Record<string, ProcessUsage>;
}

/** Time the subgraph's subscriptions must stay unchanged before the clients count as subscribed. */
const SETTLE_MS = 1_500;
/** After the last event: time for the last deliveries to arrive. */
const DRAIN_MS = 5_000;

/**
 * Fan-out of live events through one gateway process: Crossdock's against @graphql-hive/gateway,
 * same subgraphs, same clients, same events, one after the other in the same run. Every event
 * needs `product { name }` from a second subgraph.
 */
export const subscriptionsSuite: Suite = { name: 'subscriptions', run: runSubscriptions };

async function runSubscriptions(options: SuiteOptions): Promise<SuiteResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'crossdock-bench-subscriptions-'));
  let subgraphs: ServiceProcess | undefined;
  let redis: BackingService | undefined;
  const rows: Row[] = [];
  try {
    subgraphs = await startTrackedProcess({ name: 'event-subgraphs', entry: 'bench/src/subscriptions/event-subgraphs.ts', env: { NODE_ENV: 'production' }, waitFor: ['stock', 'catalog'] });
    const supergraphPath = join(workDir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composeSupergraph(subgraphs));
    redis = await startRedis();
    const crossdock = await prepareCrossdockLaunch(supergraphPath, redis.url);
    const contenders: Contender[] = [
      { subject: 'crossdock', service: 'gateway', entry: CROSSDOCK_GATEWAY_ENTRY, env: { ...crossdock.env, NODE_ENV: 'production' }, crossdockMetrics: true },
      {
        subject: `hive-gateway ${version('@graphql-hive/gateway')}`,
        service: 'hive-gateway',
        entry: 'bench/src/subscriptions/hive-subscriptions-peer.ts',
        env: { PORT: '0', SUPERGRAPH_PATH: supergraphPath, NODE_ENV: 'production' },
        crossdockMetrics: false,
      },
    ];
    for (const scenario of SCENARIOS) {
      for (const contender of contenders) {
        console.log(`subscriptions: ${scenario.name}, ${contender.subject}`);
        const row = await measure(scenario, contender, subgraphs, crossdock.authorization, options);
        if (row.outcome.kind !== 'measured') console.log(`subscriptions: ${contender.subject} ${row.outcome.kind}: ${row.outcome.reason}`);
        rows.push(row);
      }
    }
  } finally {
    await subgraphs?.stop();
    await redis?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  const errorNotes = rows.flatMap((row) => (row.results?.firstError ? [`${row.scenario.name} · ${row.subject}: first error seen by a client: "${row.results.firstError.slice(0, 200)}"`] : []));
  const measurements: Measurement[] = rows.map((row) => ({ subject: `${row.scenario.name} · ${row.subject}`, outcome: row.outcome }));
  return {
    suite: 'subscriptions',
    title: 'subscriptions: fan-out of live events through one gateway process',
    description:
      'Issue 4\'s benchmark. `inventoryChanged { sku onHand emittedAt product { name } }` over graphql-ws (graphql-ws clients ' +
      'on `ws`, per-message deflate off, in a load process of their own) through one gateway process to a stock subgraph that ' +
      'streams over graphql-ws; `product { name }` is an entity fetch from a second subgraph for every event. Broadcast: ' +
      '1,000 subscribers without a filter, 100 events/s. Filtered: 10,000 subscribers, each on its own 2 SKUs, 200 events/s ' +
      'spread over all SKUs (each event has exactly one subscriber). Latency is event creation (in the subgraph) to arrival ' +
      'at the client, same machine clock.',
    loadDescription: `after every client subscribed, ${options.warmupSeconds} s of events unmeasured (warm-up), then ${SCENARIOS.map((s) => `${s.name}: ${secondsOf(s, options)} s`).join(', ')} of events measured per row, then ${DRAIN_MS / 1000} s to drain; scenarios and gateways one after the other`,
    measurements,
    table: { headers: TABLE_HEADERS, rows: rows.map(tableRow) },
    notes: [
      ...errorNotes,
      `Machine: the gateway, the subgraphs and the load generator share its ${cpus().length} cores (their CPU is in the columns); 1-minute load average ${loadavg()[0]!.toFixed(1)} when the run ended. Compare rows of one run, not across runs.`,
      'expected deliveries = events emitted × subscribers that want each (broadcast: all; filtered: exactly one), counting the events the stock subgraph emitted from the moment the load generator began counting. The two processes each read that moment on their own clock (the same machine\'s), so an event emitted within a few ms of it may be counted on one side only: up to a few events, which in broadcast are a few thousand deliveries (±0.1 %).',
      '"events emitted" is what the stock subgraph actually offered: fewer than rate × duration means its emitter (a 10 ms timer) was starved of CPU by the rest of the machine.',
      'KiB/subscriber = growth of the gateway\'s RSS from before the clients connected to after all subscribed, divided by subscribers.',
      'p99 first → last: p99 of the first and of the last 10 s window; growth means the gateway falls behind.',
      'RSS first → last minute: median of the gateway\'s RSS samples (every 250 ms) in the first and in the last minute of the measured events (first and last fifth for runs under five minutes). The warm-up before it lets V8 settle the size of its heap, which takes it a few full GCs under a new load.',
      'live heap after full GC: what the Crossdock gateway\'s heap held just after each of its full GCs in the measured window (its /metrics gauge crossdock_nodejs_heap_live_after_full_gc_bytes, scraped every 2 s), first → last, with the number of full GCs: flat means nothing leaks. Hive Gateway exposes no such figure (—).',
      'Crossdock shares one upstream subscription per distinct arguments and scope and resolves each event once per distinct operation; Hive Gateway subscribes upstream once per client subscription.',
    ],
  };
}

const TABLE_HEADERS = [
  'Scenario · Gateway',
  'subscribers (not connected)',
  'events emitted',
  'delivered / expected',
  'delivered/s',
  'p50 ms',
  'p99 ms',
  'p99 first → last 10 s',
  'conns lost',
  'errors',
  'gateway KiB/subscriber',
  'gateway peak RSS MiB',
  'gateway RSS MiB first → last minute',
  'gateway live heap after full GC MiB first → last (full GCs)',
  'gateway CPU %',
  'subgraphs CPU %',
  'load gen CPU %',
];

function tableRow(row: Row): string[] {
  const label = `${row.scenario.name} · ${row.subject}`;
  if (row.outcome.kind !== 'measured' || !row.results || row.emitted === undefined) {
    return [label, row.outcome.kind, ...TABLE_HEADERS.slice(2).map(() => '—')];
  }
  const r = row.results;
  const expected = row.emitted * (row.scenario.mode === 'broadcast' ? row.scenario.subscribers : 1);
  const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '—');
  return [
    label,
    `${row.scenario.subscribers} (${row.notConnected ?? 0})`,
    String(row.emitted),
    `${r.delivered} / ${expected} (${((100 * r.delivered) / Math.max(1, expected)).toFixed(1)} %)`,
    (r.delivered / r.measuredSeconds).toFixed(0),
    ms(r.latencyP50Ms),
    ms(r.latencyP99Ms),
    `${ms(r.firstWindowP99Ms)} → ${ms(r.lastWindowP99Ms)}`,
    String(r.connectionsLost),
    String(r.errors),
    row.kibPerSubscriber === undefined ? '—' : row.kibPerSubscriber.toFixed(1),
    row.gateway ? row.gateway.peakRssMiB.toFixed(0) : '—',
    row.gateway ? `${row.gateway.rssFirstMiB.toFixed(0)} → ${row.gateway.rssLastMiB.toFixed(0)}` : '—',
    liveHeapCell(row.liveHeap),
    row.gateway ? row.gateway.cpuPercent.toFixed(0) : '—',
    row.helpers?.['subgraphs'] ? row.helpers['subgraphs'].cpuPercent.toFixed(0) : '—',
    row.helpers?.['load generator'] ? row.helpers['load generator'].cpuPercent.toFixed(0) : '—',
  ];
}

async function measure(scenario: Scenario, contender: Contender, subgraphs: ServiceProcess, authorization: string, options: SuiteOptions): Promise<Row> {
  const row: Row = { scenario, subject: contender.subject, outcome: { kind: 'failed', reason: 'not run' } };
  let gateway: ServiceProcess | undefined;
  let load: ServiceProcess | undefined;
  try {
    gateway = await startTrackedProcess({ name: contender.service, entry: contender.entry, env: contender.env, startTimeoutMs: 90_000 });
    load = await startTrackedProcess({ name: 'subscriber-load', entry: 'bench/src/subscriptions/subscriber-load.ts', env: { NODE_ENV: 'production' } });
    const rssBefore = readRssKiB(gateway.pid) ?? Number.NaN;
    const connect: ConnectRequest = {
      url: `${gateway.url.replace(/^http/, 'ws')}/graphql`,
      authorization,
      count: scenario.subscribers,
      mode: scenario.mode,
      skusPerSubscriber: scenario.skusPerSubscriber,
    };
    const connected = (await control(load, '/connect', connect)) as { notConnected: number }; // subscriber-load's answer
    row.notConnected = connected.notConnected;
    await subscriptionsSettled(subgraphs);
    row.kibPerSubscriber = ((readRssKiB(gateway.pid) ?? Number.NaN) - rssBefore) / scenario.subscribers;
    const skus = scenario.subscribers * scenario.skusPerSubscriber;
    const seconds = secondsOf(scenario, options);
    // One emission for warm-up and measurement alike; events of the warm-up are not counted (the
    // load generator ignores what was emitted before /measure).
    await fetch(`${stockUrl(subgraphs)}/_bench/emit?rate=${scenario.eventsPerSecond}&seconds=${options.warmupSeconds + seconds}&skus=${skus}`, { method: 'POST' });
    await sleep(options.warmupSeconds * 1000);
    const { startedAt } = (await control(load, '/measure', {})) as { startedAt: number }; // subscriber-load's answer
    const gatewaySampler = sampleProcess(gateway.pid);
    const liveHeap = contender.crossdockMetrics ? sampleLiveHeap(gateway.url) : null;
    const helpers = sampleProcesses({ subgraphs: subgraphs.pid, 'load generator': load.pid });
    await sleep(seconds * 1000 + DRAIN_MS);
    row.gateway = gatewaySampler.stop();
    row.liveHeap = (await liveHeap?.stop()) ?? undefined;
    row.helpers = helpers.stop();
    // Exactly the events the load generator counts: those emitted since it started counting.
    row.emitted = (await stockStats(subgraphs, startedAt)).emittedSince;
    row.results = (await control(load, '/results', null)) as LoadResults; // subscriber-load answers LoadResults
    const r = row.results;
    row.outcome = {
      kind: 'measured',
      load: {
        requestsPerSecond: r.delivered / r.measuredSeconds,
        latencyP50Ms: r.latencyP50Ms,
        latencyP99Ms: r.latencyP99Ms,
        totalRequests: r.delivered,
        non2xx: 0,
        errors: r.errors,
        mismatches: r.connectionsLost,
        durationSeconds: r.measuredSeconds,
      },
      usage: row.gateway,
      helpers: row.helpers,
    };
  } catch (error) {
    row.outcome = { kind: 'failed', reason: `${oneLine(error)}${gateway ? ` (gateway stderr: ${oneLine(gateway.stderr().slice(-300))})` : ''}` };
  } finally {
    await load?.stop();
    await gateway?.stop();
  }
  return row;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function control(load: ServiceProcess, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${load.url}${path}`, body === null ? {} : { method: 'POST', body: JSON.stringify(body) });
  const answer: unknown = await response.json();
  if (!response.ok) throw new Error(`subscriber-load ${path}: ${JSON.stringify(answer)}`);
  return answer;
}

function stockUrl(subgraphs: ServiceProcess): string {
  return `http://127.0.0.1:${subgraphs.ports['stock']}`;
}

async function stockStats(subgraphs: ServiceProcess, since = 0): Promise<{ emitted: number; emittedSince: number; subscriptions: number }> {
  return (await (await fetch(`${stockUrl(subgraphs)}/_bench/stats?since=${since}`)).json()) as { emitted: number; emittedSince: number; subscriptions: number }; // event-subgraphs' stats
}

/** Waits until the stock subgraph's subscriptions stop changing: every client is subscribed through. */
async function subscriptionsSettled(subgraphs: ServiceProcess): Promise<void> {
  let last = -1;
  let stableSince = Date.now();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { subscriptions } = await stockStats(subgraphs);
    if (subscriptions !== last) {
      last = subscriptions;
      stableSince = Date.now();
    } else if (subscriptions > 0 && Date.now() - stableSince >= SETTLE_MS) {
      return;
    }
    if (Date.now() > deadline) throw new Error(`subscriptions did not settle (${subscriptions} upstream)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function composeSupergraph(subgraphs: ServiceProcess): string {
  const result = composeServices([
    { name: 'stock', url: `${stockUrl(subgraphs)}/graphql`, typeDefs: stockTypeDefs },
    { name: 'catalog', url: `http://127.0.0.1:${subgraphs.ports['catalog']}/graphql`, typeDefs: catalogTypeDefs },
  ]);
  if (result.errors) throw new Error(`subscription benchmark supergraph does not compose: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

function liveHeapCell(trend: LiveHeapTrend | undefined): string {
  const first = trend?.afterFullGcMiB[0];
  const last = trend?.afterFullGcMiB.at(-1);
  if (!trend || first === undefined || last === undefined) return trend ? `— (${trend.fullGcs})` : '—';
  return `${first.toFixed(0)} → ${last.toFixed(0)} (${trend.fullGcs})`;
}

function secondsOf(scenario: Scenario, options: SuiteOptions): number {
  return scenario.durationSeconds ?? options.durationSeconds;
}

function version(packageName: string): string {
  const manifest: unknown = JSON.parse(readFileSync(join(repoRoot(), 'node_modules', packageName, 'package.json'), 'utf8'));
  const found = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>).version : undefined;
  return typeof found === 'string' ? found : 'unknown';
}
