import { metricsExposition, parseExposition, PROCESS_INSTANCE, type MetricSample } from '@crossdock/telemetry';
import { request } from 'undici';
import type { SubgraphEndpoint } from '../readiness';
import { histogramsBy, mean, quantile, sumBy } from './metric-summary';

/** How long the console waits for one subgraph's /ready or /metrics. */
const SCRAPE_TIMEOUT_MS = 1_500;

/** One service as the console shows it: its /ready report. */
export interface ServiceHealth {
  name: string;
  ready: boolean;
  checks: Record<string, unknown>;
}

/** Everything the console's first screen shows; built from /ready and /metrics of every process. */
export interface OpsOverview {
  generatedAt: string;
  services: ServiceHealth[];
  circuits: { service: string; backend: string; state: string }[];
  backends: { backend: string; calls: number; errors: number; meanMs: number | null; p95Ms: number | null }[];
  fallback: { subgraph: string; served: number; missed: number }[];
  outbox: { target: string; depth: number; oldestAgeSeconds: number }[];
  events: { stream: string; group: string; lag: number; lagSeconds: number }[];
  subscriptions: { field: string; open: number }[];
  exceptionsRecorded: { kind: string; channel: string; warehouse: string; count: number }[];
  cycleTime: { channel: string; stage: string; count: number; meanSeconds: number | null; p50Seconds: number | null; p90Seconds: number | null }[];
  operations: { operation: string; clientClass: string; outcome: string; count: number; meanMs: number | null; p95Ms: number | null }[];
  /** All gateway operations together, for the latency chart. */
  gateway: { requests: number; meanMs: number | null; p95Ms: number | null; rateLimited: number };
}

const CIRCUIT_STATES = ['closed', 'half-open', 'open'];
const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 10_000) / 10);

/** Builds the overview: the gateway's own registry plus every subgraph process's, each process once. */
export async function buildOverview(subgraphs: readonly SubgraphEndpoint[]): Promise<OpsOverview> {
  const own = parseExposition((await metricsExposition()).body);
  const scraped = await Promise.all(subgraphs.map(async (subgraph) => ({ subgraph, ready: await readiness(subgraph), samples: await scrape(subgraph) })));
  const seen = new Set([instanceOf(own)]);
  const samples = [...own];
  const circuits: OpsOverview['circuits'] = [];
  for (const { subgraph, samples: theirs } of scraped) {
    const instance = instanceOf(theirs);
    if (seen.has(instance)) continue;
    seen.add(instance);
    samples.push(...theirs);
    circuits.push(...circuitsOf(subgraph.name, theirs));
  }
  circuits.push(...circuitsOf('gateway', own));
  return {
    generatedAt: new Date().toISOString(),
    services: scraped.map(({ subgraph, ready }) => ({ name: subgraph.name, ...ready })),
    circuits,
    ...summarize(samples),
  };
}

function summarize(samples: readonly MetricSample[]): Omit<OpsOverview, 'generatedAt' | 'services' | 'circuits'> {
  const backendCalls = histogramsBy(samples, 'crossdock_backend_call_duration_seconds', ['backend']);
  const backendErrors = sumBy(samples, 'crossdock_backend_call_errors_total', ['backend']);
  const served = sumBy(samples, 'crossdock_fallback_answers_total', ['subgraph']);
  const missed = sumBy(samples, 'crossdock_fallback_misses_total', ['subgraph']);
  const lagSeconds = sumBy(samples, 'crossdock_event_stream_lag_seconds', ['stream', 'group']);
  const outboxAge = sumBy(samples, 'crossdock_outbox_oldest_age_seconds', ['target']);
  const allOperations = histogramsBy(samples, 'crossdock_graphql_operation_duration_seconds', [])[0];
  return {
    backends: backendCalls.map((h) => ({
      backend: h.labels.backend ?? '',
      calls: h.count,
      errors: [...backendErrors.values()].find((e) => e.labels.backend === h.labels.backend)?.value ?? 0,
      meanMs: ms(mean(h)),
      p95Ms: ms(quantile(h, 0.95)),
    })),
    fallback: [...new Set([...served.values(), ...missed.values()].map((s) => s.labels.subgraph ?? ''))].map((subgraph) => ({
      subgraph,
      served: served.get(JSON.stringify({ subgraph }))?.value ?? 0,
      missed: missed.get(JSON.stringify({ subgraph }))?.value ?? 0,
    })),
    outbox: [...sumBy(samples, 'crossdock_outbox_depth', ['target']).entries()].map(([key, { labels, value }]) => ({
      target: labels.target ?? '',
      depth: value,
      oldestAgeSeconds: outboxAge.get(key)?.value ?? 0,
    })),
    events: [...sumBy(samples, 'crossdock_event_stream_lag', ['stream', 'group']).entries()].map(([key, { labels, value }]) => ({
      stream: labels.stream ?? '',
      group: labels.group ?? '',
      lag: value,
      lagSeconds: lagSeconds.get(key)?.value ?? 0,
    })),
    subscriptions: [...sumBy(samples, 'crossdock_subscriptions_open', ['field']).values()].map(({ labels, value }) => ({ field: labels.field ?? '', open: value })),
    exceptionsRecorded: [...sumBy(samples, 'crossdock_exceptions_recorded_total', ['kind', 'channel', 'warehouse']).values()].map(({ labels, value }) => ({
      kind: labels.kind ?? '',
      channel: labels.channel ?? '',
      warehouse: labels.warehouse ?? '',
      count: value,
    })),
    cycleTime: histogramsBy(samples, 'crossdock_order_cycle_seconds', ['channel', 'stage']).map((h) => ({
      channel: h.labels.channel ?? '',
      stage: h.labels.stage ?? '',
      count: h.count,
      meanSeconds: mean(h),
      p50Seconds: quantile(h, 0.5),
      p90Seconds: quantile(h, 0.9),
    })),
    operations: histogramsBy(samples, 'crossdock_graphql_operation_duration_seconds', ['operation', 'client_class', 'outcome']).map((h) => ({
      operation: h.labels.operation ?? '',
      clientClass: h.labels.client_class ?? '',
      outcome: h.labels.outcome ?? '',
      count: h.count,
      meanMs: ms(mean(h)),
      p95Ms: ms(quantile(h, 0.95)),
    })),
    gateway: {
      requests: allOperations?.count ?? 0,
      meanMs: allOperations ? ms(mean(allOperations)) : null,
      p95Ms: allOperations ? ms(quantile(allOperations, 0.95)) : null,
      rateLimited: [...sumBy(samples, 'crossdock_rate_limited_total', []).values()][0]?.value ?? 0,
    },
  };
}

function circuitsOf(service: string, samples: readonly MetricSample[]): OpsOverview['circuits'] {
  return samples
    .filter((s) => s.name === 'crossdock_circuit_state')
    .map((s) => ({ service, backend: s.labels.backend ?? '', state: CIRCUIT_STATES[s.value] ?? 'unknown' }));
}

function instanceOf(samples: readonly MetricSample[]): string {
  return samples.find((s) => s.name === 'crossdock_process_info')?.labels.instance ?? PROCESS_INSTANCE;
}

/** A subgraph's URL next to its /graphql, e.g. its /metrics. */
export function subgraphUrl(subgraph: SubgraphEndpoint, path: string): URL {
  const url = new URL(subgraph.url);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + path;
  return url;
}

async function scrape(subgraph: SubgraphEndpoint): Promise<MetricSample[]> {
  try {
    const response = await request(subgraphUrl(subgraph, '/metrics'), { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    const text = await response.body.text();
    return response.statusCode === 200 ? parseExposition(text) : [];
  } catch {
    return [];
  }
}

async function readiness(subgraph: SubgraphEndpoint): Promise<{ ready: boolean; checks: Record<string, unknown> }> {
  try {
    const response = await request(subgraphUrl(subgraph, '/ready'), { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    const body: unknown = await response.body.json();
    const checks = typeof body === 'object' && body !== null && 'checks' in body && typeof body.checks === 'object' && body.checks !== null ? body.checks : {};
    return { ready: response.statusCode === 200, checks: Object.fromEntries(Object.entries(checks)) };
  } catch (error) {
    return { ready: false, checks: { reachable: `no: ${error instanceof Error ? error.message : String(error)}` } };
  }
}
