import { availableParallelism } from 'node:os';
import type { Attempt } from '../row-errors';
import type { Measurement, SuiteOptions, SuiteResult } from '../suites';
import { totalsCells, totalsOf, type AlternatingRun, type SubjectTotals } from './alternating-windows';
import type { ProfileShares } from './profile-shares';

/** Issue 6, item 8: at most 10 % fewer requests per second with everything on. */
export const TARGET_RATIO = 0.9;

/** One query measured through both gateways, or why it could not be. */
export interface ScenarioResult {
  name: string;
  run: Attempt<AlternatingRun>;
  /** How the two gateways' answers were checked before the load. */
  checked: string;
  /** Where each gateway's CPU went over the whole run, from its CPU profile (null: none written). */
  profiles: Record<'on' | 'off', ProfileShares | null>;
}

export interface RunFacts {
  options: SuiteOptions;
  windowsPerSubject: number;
  windowSeconds: number;
  /** The machine's 1-minute load average when the suite started and ended. */
  loadAverages: [number, number];
  rateLimit: { requests: number; windowSeconds: number };
  /** The internal class's cost limit while measuring. */
  maxCost: number;
  /** Orders per unified-view request. */
  ordersPerRequest: number;
}

const HEADERS = ['Query', 'Governance', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'bad bodies', 'gateway CPU %', 'gateway CPU ms/request', 'on ÷ off req/s'];

/** The suite's table (four rows: each query with governance on and off) and notes. */
export function governanceResult(scenarios: readonly ScenarioResult[], facts: RunFacts): SuiteResult {
  const measurements: Measurement[] = [];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const scenario of scenarios) {
    if (!scenario.run.ok) {
      for (const governance of ['on', 'off']) {
        measurements.push({ subject: `${scenario.name}, governance ${governance}`, outcome: { kind: 'failed', reason: scenario.run.reason } });
        rows.push([scenario.name, governance, ...HEADERS.slice(2).map(() => '—')]);
      }
      continue;
    }
    const { windows, pairRatios } = scenario.run.value;
    const on = totalsOf(windows.filter((w) => w.subject === 'on'));
    const off = totalsOf(windows.filter((w) => w.subject === 'off'));
    const ratio = on.load.requestsPerSecond / off.load.requestsPerSecond;
    for (const [governance, totals] of [['on', on], ['off', off]] as const) {
      const subject = `${scenario.name}, governance ${governance}`;
      measurements.push({ subject, outcome: { kind: 'measured', load: totals.load, usage: totals.usage, helpers: totals.helpers } });
      rows.push([scenario.name, governance, ...totalsCells(totals, { peakRss: false }), governance === 'on' ? verdict(ratio) : '—']);
    }
    notes.push(
      `${scenario.name}: on ÷ off req/s per a/b pair of windows, in run order: ${pairRatios.map((r) => r.toFixed(2)).join(', ')} ` +
        `(mean ${meanWithError(pairRatios)}); ` +
        `gateway CPU per request on ÷ off: ${(on.cpuMsPerRequest / off.cpuMsPerRequest).toFixed(2)}× ` +
        `(${on.cpuMsPerRequest.toFixed(2)} ms ÷ ${off.cpuMsPerRequest.toFixed(2)} ms); whole machine busy ${machineBusy(on, off)} of ${cores()} % during the windows. ` +
        `Answers checked before the load: ${scenario.checked}.`,
      profileNote(scenario),
    );
  }
  return {
    suite: 'governance',
    title: 'governance: what auth, scopes and limits cost the gateway',
    description:
      'The same gateway build (gateway/src/index.ts) started twice on the same subgraphs, once as in production (governance on) and once ' +
      'with `CROSSDOCK_BENCH_GOVERNANCE=off` (benchmark-only; refused with NODE_ENV=production), and loaded in alternating windows ' +
      `(on, off, off, on, … ${facts.windowsPerSubject} windows of ${facts.windowSeconds} s per gateway) so that the machine's other work falls on both alike. ` +
      'Two queries, one after the other: the federation benchmark\'s `TestQuery` over its four cheap subgraphs (bench/src/federation), and ' +
      `\`UNIFIED_ORDER_VIEW\` (${facts.ordersPerRequest} orders, fields from all four subgraphs) over a full hub from \`startHubStack\` (simulators without added latency). ` +
      `Target (issue 6, item 8): on ÷ off req/s ≥ ${TARGET_RATIO.toFixed(2)}.`,
    loadDescription:
      `autocannon, ${facts.options.connections} connections, closed loop; ${facts.options.warmupSeconds} s warm-up per gateway, then ` +
      `${facts.windowsPerSubject} × ${facts.windowSeconds} s measured per gateway and query`,
    table: { headers: HEADERS, rows },
    measurements,
    notes: [
      ...notes,
      'Governance on: every request\'s HS256 token verified (jose); client classified and admitted, its token taken from a Redis bucket ' +
        `(the internal class, the benchmark token's, set to ${facts.rateLimit.requests.toLocaleString('en')} requests per ${facts.rateLimit.windowSeconds} s ` +
        'so that nothing is refused while the rate-limit code and its Redis round trip still run on every request); ' +
        `the internal class's cost limit raised to ${facts.maxCost.toLocaleString('en')} (TestQuery's static cost with the default assumed ` +
        'list size of 10 is over the built-in 20,000, which refuses it with QUERY_TOO_COMPLEX); ' +
        'the operation limits (depth, aliases, directives, tokens, static cost) and the trusted-document plugin on every operation; ' +
        'the scope check wrapping the executor (the federation supergraph declares no scopes, so there it is one test; the hub\'s supergraph does).',
      'Governance off: no token read (a fixed internal identity with every scope), no admission or rate limit, no limits plugin or parser token cap, ' +
        'no trusted documents, operations straight to the executor. The same in both: the signed identity header to subgraphs and their row filters, ' +
        'request telemetry and logs, degraded-answer reporting, deprecated-field counting, error formatting.',
      `p50 and p99 are the medians of the windows' own percentiles; req/s is all requests over all measured seconds of a gateway; ` +
        '"gateway CPU ms/request" is the gateway process\'s CPU time over the requests it answered, less sensitive to a busy machine than req/s.',
      'Both gateways run with `GATEWAY_COALESCING=off` and `GATEWAY_SUBGRAPH_DEDUPLICATION=off`, so every request is executed in full: ' +
        'with coalescing (the default) the load\'s identical concurrent requests share one execution, and the limits and scope check inside it ' +
        'would run once per group instead of once per request.',
      'Both gateways run with NODE_ENV=benchmark (not production, which refuses the switch), so nothing that reads NODE_ENV differs between them; ' +
        'the hub stack\'s own gateway runs too, idle.',
      `The machine was shared with other work while this ran (other sessions' test runs): 1-minute load average ` +
        `${facts.loadAverages[0].toFixed(1)} at the start and ${facts.loadAverages[1].toFixed(1)} at the end, on ${cores() / 100} cores. ` +
        'Read the ratios with the pair spread above; absolute req/s are not comparable with the other sections.',
      'Both gateways run under `--cpu-prof` (2 ms sampling, alike for both). A busy sample counts as governance when, from its leaf up, ' +
        'a frame of governance code (token verifier and jose, rate limiter and node-redis, limits plugin, scope check, trusted documents, ' +
        'admission) comes before the federation executor; garbage collection those allocations cause is not counted, nor kernel time of the ' +
        'Redis round trip outside node-redis frames (bench/src/governance/profile-shares.ts).',
      '"bad bodies": 2xx answers containing `errors`; every body is checked.',
    ],
  };
}

/** Where the governed gateway's CPU went, with the ungoverned one's samples in the same code beside it. */
function profileNote(scenario: ScenarioResult): string {
  const { on, off } = scenario.profiles;
  if (!on) return `${scenario.name}: the governed gateway wrote no CPU profile (stopped too slowly?), so no breakdown.`;
  const parts = Object.entries(on.governance)
    .sort((a, b) => b[1] - a[1])
    .map(([category, share]) => `${category} ${percent(share)}`);
  const offShare = off
    ? `; the ungoverned gateway: ${percent(off.governanceTotal)} of ${off.busySamples} in the same code (connecting, loading). ` +
      `Garbage collection: ${percent(on.garbageCollection)} of the governed gateway's samples, ${percent(off.garbageCollection)} of the ungoverned one's`
    : '';
  return (
    `${scenario.name}, CPU profile of the governed gateway over the whole run: **governance code ${percent(on.governanceTotal)}** ` +
    `of its ${on.busySamples} busy samples (${parts.join(', ') || 'none'}; with the gateway's CPU the bottleneck, this alone would ` +
    `make on ÷ off about ${(1 - on.governanceTotal).toFixed(2)})${offShare}.`
  );
}

/** The mean and its standard error, e.g. "0.95 ± 0.03". */
function meanWithError(values: readonly number[]): string {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  if (values.length < 2) return mean.toFixed(2);
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return `${mean.toFixed(2)} ± ${Math.sqrt(variance / values.length).toFixed(2)}`;
}

function percent(share: number): string {
  return `${(100 * share).toFixed(1)} %`;
}


function verdict(ratio: number): string {
  return `**${ratio.toFixed(3)}** (target ≥ ${TARGET_RATIO.toFixed(2)}: ${ratio >= TARGET_RATIO ? 'met' : 'not met'})`;
}

function machineBusy(on: SubjectTotals, off: SubjectTotals): string {
  return `${((on.machineBusyPercent + off.machineBusyPercent) / 2).toFixed(0)} %`;
}

/** 100 per core, the unit of the CPU columns. */
function cores(): number {
  return 100 * availableParallelism();
}
