import { availableParallelism } from 'node:os';
import type { ServiceProcess } from '@crossdock/testkit';
import { totalsCells, totalsOf, type SubjectTotals, type Window } from '../governance/alternating-windows';
import type { Measurement, SuiteOptions, SuiteResult } from '../suites';
import { COALESCED, EXECUTED, type Contender } from './contenders';

/** One contender's process (null when it did not start) and why it cannot be measured, if so. */
export interface ContenderRun {
  contender: Contender;
  process: ServiceProcess | null;
  failure: string | null;
}

export interface FederationFacts {
  options: SuiteOptions;
  rounds: number;
  windowSeconds: number;
  /** The machine's 1-minute load average when the suite started and ended. */
  loadAverages: [number, number];
}

/** The targets on this benchmark. */
const TARGETS = { executedRatio: 1.5, coalescedRatio: 1.0 };

const HEADERS = ['Gateway', 'Mode', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'bad bodies', 'peak RSS MiB', 'CPU %', 'CPU ms/request', 'Crossdock (same mode) ÷ this'];

/** The table (one row per contender), the targets' verdicts and the noise, as the suite's result. */
export function federationResult(runs: readonly ContenderRun[], windows: readonly Window[], facts: FederationFacts): SuiteResult {
  const totals = new Map<string, SubjectTotals>();
  for (const run of runs) {
    const own = windows.filter((w) => w.subject === run.contender.subject);
    if (!run.failure && own.length > 0) totals.set(run.contender.subject, totalsOf(own));
  }
  const crossdockOf = (mode: string) => runs.find((run) => run.contender.crossdock && run.contender.mode === mode);
  const rateOf = (run: ContenderRun | undefined) => (run ? totals.get(run.contender.subject)?.load.requestsPerSecond : undefined);
  const measurements: Measurement[] = [];
  const rows: string[][] = [];
  for (const run of runs) {
    const { subject, mode } = run.contender;
    const own = totals.get(subject);
    if (!own) {
      measurements.push({ subject, outcome: { kind: 'failed', reason: run.failure ?? 'not measured' } });
      rows.push([subject, mode, ...HEADERS.slice(2).map(() => '—')]);
      continue;
    }
    measurements.push({ subject, outcome: { kind: 'measured', load: own.load, usage: own.usage, helpers: own.helpers } });
    const crossdockRate = rateOf(crossdockOf(mode));
    rows.push([subject, mode, ...totalsCells(own, { peakRss: true }), crossdockRate === undefined ? '—' : `${(crossdockRate / own.load.requestsPerSecond).toFixed(2)}×`]);
  }
  return {
    suite: 'federation',
    title: 'federation: the graphql-gateways-benchmark supergraph',
    description:
      'The `TestQuery` of graphql-hive/graphql-gateways-benchmark ("federation" scenario: accounts, inventory, products and reviews subgraphs, ' +
      'same SDL and data, here served by cheap Node subgraphs in one separate process) posted through each gateway, every gateway one process on ' +
      'the same subgraphs. Two modes: every request executed, and identical in-flight requests answered once (Hive Gateway\'s ' +
      '`inboundInflightRequestDeduplication`, Crossdock\'s coalescing). All five gateways run at once and are loaded one at a time in ' +
      `${facts.rounds} rounds of ${facts.windowSeconds} s windows, each round starting one gateway later, so that the machine's other work falls on all alike. ` +
      'Each gateway\'s answer is first checked against the one worked out from the data; closed-loop load like the reference\'s k6 constant VUs.',
    loadDescription:
      `autocannon, ${facts.options.connections} connections, closed loop; ${facts.options.warmupSeconds} s warm-up per gateway, then ` +
      `${facts.rounds} × ${facts.windowSeconds} s measured per gateway, rotating`,
    table: { headers: HEADERS, rows },
    measurements,
    notes: [
      ...verdicts(runs, totals),
      ...noise(runs, windows),
      `The machine was shared with other work while this ran: 1-minute load average ${facts.loadAverages[0].toFixed(1)} at the start and ` +
        `${facts.loadAverages[1].toFixed(1)} at the end, on ${availableParallelism()} cores. Absolute req/s are low and noisy; read the ratios with the per-round spread above.`,
      'p50 and p99: medians of the windows\' own percentiles; req/s: all requests over all measured seconds of a gateway; ' +
        '"CPU ms/request": the gateway process\' CPU time per answered request, less sensitive to a busy machine than req/s.',
      'Crossdock runs as in production (NODE_ENV=production): every request\'s HS256 token verified, client admitted with a Redis rate-limit round trip, ' +
        'operation limits and cost computed, scope check, signed identity header to subgraphs, request log line and metrics. ' +
        'Its internal class\'s cost limit and rate limit are raised in a limits file (TestQuery costs 23,315 > 20,000; the coalesced rate exceeds 120,000/min).',
      'Crossdock coalesces by document, variables, operation name, extensions, accept header and the caller\'s view (subject, scopes, customer, channel, client class and name); ' +
        'Hive\'s default deduplication key is every request header, method, URL and the GraphQL request.',
      'hive-gateway runs as one process through its runtime API with JIT (the reference runs its CLI with --jit and a worker per core); ' +
        'stock, it merges identical in-flight subgraph fetches (@graphql-tools/executor-http), in both modes. So does Crossdock ' +
        '(GATEWAY_SUBGRAPH_DEDUPLICATION, default on: same subgraph, body and signed caller); stock apollo-gateway does not.',
      'apollo-gateway runs as one process on @apollo/server standalone (the reference forks a worker per core).',
      'Every request carries the same `authorization: Bearer <HS256 JWT>`; only Crossdock verifies it. "bad bodies": 2xx answers containing GraphQL `errors`.',
      'Supergraph: bench/federation/supergraph.graphql, recomposed with @apollo/composition at start and compared.',
    ],
  };
}


/** One line per target: met or not, with the numbers it was judged on. */
function verdicts(runs: readonly ContenderRun[], totals: ReadonlyMap<string, SubjectTotals>): string[] {
  const of = (crossdock: boolean, mode: string) =>
    runs.filter((run) => run.contender.crossdock === crossdock && run.contender.mode === mode).flatMap((run) => {
      const found = totals.get(run.contender.subject);
      return found ? [{ subject: run.contender.subject, totals: found }] : [];
    });
  const lines: string[] = [];
  const [crossdockExecuted] = of(true, EXECUTED);
  const peersExecuted = of(false, EXECUTED);
  if (crossdockExecuted && peersExecuted.length > 0) {
    const fastest = peersExecuted.reduce((a, b) => (b.totals.load.requestsPerSecond > a.totals.load.requestsPerSecond ? b : a));
    const ratio = crossdockExecuted.totals.load.requestsPerSecond / fastest.totals.load.requestsPerSecond;
    const p99 = crossdockExecuted.totals.load.latencyP99Ms;
    lines.push(
      `**Every request executed**: Crossdock ÷ the faster peer (${fastest.subject}) = **${ratio.toFixed(2)}×** ` +
        `(target ≥ ${TARGETS.executedRatio}×: ${ratio >= TARGETS.executedRatio ? 'met' : 'not met'}); p99 ${p99.toFixed(0)} ms vs ${fastest.totals.load.latencyP99Ms.toFixed(0)} ms ` +
        `(target no worse: ${p99 <= fastest.totals.load.latencyP99Ms ? 'met' : 'not met'}); ${cpuPerRequest(crossdockExecuted.totals, fastest.totals)}.`,
    );
  }
  const [crossdockCoalesced] = of(true, COALESCED);
  const [peerCoalesced] = of(false, COALESCED);
  if (crossdockCoalesced && peerCoalesced) {
    const ratio = crossdockCoalesced.totals.load.requestsPerSecond / peerCoalesced.totals.load.requestsPerSecond;
    lines.push(
      `**Identical in-flight requests coalesced**: Crossdock ÷ ${peerCoalesced.subject} = **${ratio.toFixed(2)}×** ` +
        `(target ≥ ${TARGETS.coalescedRatio}×: ${ratio >= TARGETS.coalescedRatio ? 'met' : 'not met'}); ${cpuPerRequest(crossdockCoalesced.totals, peerCoalesced.totals)}.`,
    );
  }
  const peers = [...peersExecuted, ...of(false, COALESCED)];
  const crossdockRows = [...of(true, EXECUTED), ...of(true, COALESCED)];
  if (crossdockRows.length > 0 && peers.length > 0) {
    const ours = Math.max(...crossdockRows.map((row) => row.totals.usage.peakRssMiB));
    const lowest = Math.min(...peers.map((row) => row.totals.usage.peakRssMiB));
    lines.push(`**Memory**: Crossdock's peak RSS ${ours.toFixed(0)} MiB, the lowest peer's ${lowest.toFixed(0)} MiB (target no higher than the peers': ${ours <= lowest ? 'met' : 'not met'}).`);
  }
  return lines;
}

/** The busy-machine-resistant view of the same comparison: gateway CPU time per answered request. */
function cpuPerRequest(crossdock: SubjectTotals, peer: SubjectTotals): string {
  return `CPU per request ${crossdock.cpuMsPerRequest.toFixed(2)} ms vs ${peer.cpuMsPerRequest.toFixed(2)} ms (${(peer.cpuMsPerRequest / crossdock.cpuMsPerRequest).toFixed(2)}× less)`;
}

/** Each gateway's req/s per round, in run order: the spread shows the noise. */
function noise(runs: readonly ContenderRun[], windows: readonly Window[]): string[] {
  return runs.flatMap((run) => {
    const own = windows.filter((w) => w.subject === run.contender.subject);
    return own.length === 0 ? [] : [`${run.contender.subject}: req/s per round ${own.map((w) => w.load.requestsPerSecond.toFixed(0)).join(', ')}; machine busy ${(own.reduce((t, w) => t + w.machineBusyPercent, 0) / own.length).toFixed(0)} % of ${100 * availableParallelism()} %.`];
  });
}
