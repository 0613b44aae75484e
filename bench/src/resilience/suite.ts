import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERP_ONLY_VIEW, startHubStack, UNIFIED_ORDER_VIEW, type HubStack } from '@crossdock/testkit';
import { postGraphQL } from '../federation/answer-check';
import { EVERY_REQUEST_EXECUTED } from '../governance/governed-gateways';
import { hubHelperPids } from '../hub-processes';
import { runLoad, sampleProcess, sampleProcesses, type LoadOptions, type LoadResult, type ProcessUsage } from '../load';
import { attempt, oneLine } from '../row-errors';
import { stopStackOnExit } from '../stack-cleanup';
import type { Measurement, Outcome, Suite, SuiteOptions, SuiteResult } from '../suites';
import { answerRule, circuitState, CONDITIONS, SLOW_LATENCY_MS, type Condition } from './conditions';

const SUITE = 'resilience';
/** The page size of the unified-order-view suite, so the healthy rows compare with it. */
const ORDERS_PER_REQUEST = 20;
/** The issue's target: with a backend down, unified-view p99 within 1.2× of healthy. */
const TARGET_P99_RATIO = 1.2;
/** A seeded customer in every simulator world. */
const ERP_ONLY_CUSTOMER = 'CUST-0001';

/** `npm run bench -- --suite resilience`: the unified view healthy, with the ERP down, with the WMS slow. */
export const resilienceSuite: Suite = { name: SUITE, run: runResilience };

/** The two loads of a condition, run at the same time against the same gateway. */
interface Loads {
  unified: Omit<LoadOptions, 'durationSeconds'>;
  erpOnly: Omit<LoadOptions, 'durationSeconds'>;
}

/** What one condition measured: both loads, the broken backend's circuit and the flagged share. */
interface ConditionResult {
  condition: Condition;
  unified: Outcome;
  erpOnly: Outcome;
  /** The broken backend's circuit when the measured window began. */
  circuit: string | null;
  /** Unified-view answers carrying `extensions.degraded`, of all answers read. */
  flagged: { answers: number; degraded: number } | null;
}

async function runResilience(options: SuiteOptions): Promise<SuiteResult> {
  const owned: { stack?: HubStack; undoCleanup?: () => void } = {};
  const limitsDir = mkdtempSync(join(tmpdir(), 'crossdock-bench-limits-'));
  try {
    // One token sends every request: the gateway's per-subject rate limit would cap the load, and
    // this suite measures how the hub degrades, not admission control. Everything else is default.
    const limitsPath = join(limitsDir, 'limits.json');
    writeFileSync(limitsPath, JSON.stringify({ classes: { internal: { rateLimit: null } } }));
    console.log(`${SUITE}: starting simulators, 4 subgraphs and the gateway (production defaults: BACKEND_TIMEOUT_MS 2000, CIRCUIT_OPEN_MS 5000)`);
    const started = await attempt(SUITE, () =>
      // Every request executed in full: with coalescing on (the gateway's default) the load's identical
      // concurrent requests would share one execution, and the backends' failures would reach few of them.
      startHubStack({ env: { NODE_ENV: 'production' }, serviceEnv: { gateway: { GATEWAY_LIMITS_PATH: limitsPath, ...EVERY_REQUEST_EXECUTED } } }),
    );
    if (!started.ok) return suiteResult(CONDITIONS.map((condition) => failedCondition(condition, `the hub did not start: ${started.reason}`)), options);
    const hub = started.value;
    owned.stack = hub;
    owned.undoCleanup = stopStackOnExit(hub);

    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await hub.token()}` };
    const url = `${hub.gatewayUrl}/graphql`;
    const unifiedBody = JSON.stringify({ query: UNIFIED_ORDER_VIEW, variables: { first: ORDERS_PER_REQUEST } });
    const erpOnlyBody = JSON.stringify({ query: ERP_ONLY_VIEW, variables: { customerId: ERP_ONLY_CUSTOMER } });
    // One complete answer of each first: it proves the queries, and its snapshots seed the fallback cache.
    const checked = await attempt(SUITE, async () => {
      for (const body of [unifiedBody, erpOnlyBody]) {
        const answer = JSON.stringify(await postGraphQL(url, body, headers));
        if (answer.includes('"errors"')) throw new Error(`the healthy hub answered with errors: ${answer.slice(0, 300)}`);
      }
    });
    if (!checked.ok) return suiteResult(CONDITIONS.map((condition) => failedCondition(condition, checked.reason)), options);

    const companion = Math.max(1, Math.round(options.connections / 10));
    const loads: Loads = {
      unified: { url, method: 'POST', headers, body: unifiedBody, connections: options.connections },
      erpOnly: { url, method: 'POST', headers, body: erpOnlyBody, connections: companion, acceptBody: answerRule('complete') },
    };
    const results: ConditionResult[] = [];
    for (const condition of CONDITIONS) results.push(await measureCondition(hub, condition, loads, options));
    return suiteResult(results, options);
  } finally {
    await owned.stack?.stop();
    owned.undoCleanup?.();
    rmSync(limitsDir, { recursive: true, force: true });
  }
}

/** Breaks the backend, warms up, measures both loads at once, heals; a failure fails both rows. */
async function measureCondition(hub: HubStack, condition: Condition, loads: Loads, options: SuiteOptions): Promise<ConditionResult> {
  try {
    await condition.apply(hub);
    try {
      console.log(`${SUITE}: ${condition.label}: warming up ${options.warmupSeconds} s`);
      if (options.warmupSeconds > 0) {
        await Promise.all([runLoad({ ...loads.unified, durationSeconds: options.warmupSeconds }), runLoad({ ...loads.erpOnly, durationSeconds: options.warmupSeconds })]);
      }
      const circuit = condition.broken ? await circuitState(hub, condition.broken) : null;
      console.log(`${SUITE}: ${condition.label}: measuring ${options.durationSeconds} s${circuit ? ` (${condition.broken} circuit ${circuit})` : ''}`);
      const flagged = { answers: 0, degraded: 0 };
      const good = answerRule(condition.rule);
      const acceptBody = (body: string): boolean => {
        flagged.answers += 1;
        if (body.includes('"degraded"')) flagged.degraded += 1;
        return good(body);
      };
      const gateway = sampleProcess(hub.gateway.pid);
      const helpers = sampleProcesses(hubHelperPids());
      const [unified, erpOnly] = await Promise.all([
        runLoad({ ...loads.unified, acceptBody, durationSeconds: options.durationSeconds }),
        runLoad({ ...loads.erpOnly, durationSeconds: options.durationSeconds }),
      ]).finally(() => {
        gateway.stop();
        helpers.stop();
      });
      console.log(`${SUITE}: ${condition.label}: unified p50 ${unified.latencyP50Ms} ms p99 ${unified.latencyP99Ms} ms; ERP-only p50 ${erpOnly.latencyP50Ms} ms`);
      return {
        condition,
        unified: measured(unified, gateway.stop(), helpers.stop()),
        erpOnly: measured(erpOnly, gateway.stop()),
        circuit,
        flagged,
      };
    } finally {
      await condition.heal(hub);
    }
  } catch (error) {
    console.error(`${SUITE}: ${condition.label} failed:`, error);
    return failedCondition(condition, oneLine(error));
  }
}

function measured(load: LoadResult, usage: ProcessUsage, helpers?: Record<string, ProcessUsage>): Outcome {
  return { kind: 'measured', load, usage, ...(helpers ? { helpers } : {}) };
}

function failedCondition(condition: Condition, reason: string): ConditionResult {
  return { condition, unified: { kind: 'failed', reason }, erpOnly: { kind: 'failed', reason }, circuit: null, flagged: null };
}

const unifiedRow = (condition: Condition) => `unified view, ${condition.label}`;
const erpOnlyRow = (condition: Condition) => `ERP-only query, ${condition.label}`;

function suiteResult(results: readonly ConditionResult[], options: SuiteOptions): SuiteResult {
  const measurements: Measurement[] = results.flatMap((r) => [
    { subject: unifiedRow(r.condition), outcome: r.unified },
    { subject: erpOnlyRow(r.condition), outcome: r.erpOnly },
  ]);
  const [healthy, down, slow] = results;
  const notes: string[] = [];
  const load = (outcome: Outcome | undefined) => (outcome?.kind === 'measured' ? outcome.load : null);
  const [healthyUnified, downUnified] = [load(healthy?.unified), load(down?.unified)];
  if (healthyUnified && downUnified) {
    const ratio = downUnified.latencyP99Ms / healthyUnified.latencyP99Ms;
    notes.push(
      `**ERP down ÷ healthy, unified-view p99 = ${ratio.toFixed(2)}×** (${downUnified.latencyP99Ms} ms ÷ ${healthyUnified.latencyP99Ms} ms; ` +
        `the issue's target is ≤ ${TARGET_P99_RATIO}×, ${ratio <= TARGET_P99_RATIO ? 'met' : 'not met'}).`,
    );
  }
  const [healthyErp, slowErp] = [load(healthy?.erpOnly), load(slow?.erpOnly)];
  if (healthyErp && slowErp) {
    const unaffected = slowErp.latencyP99Ms <= TARGET_P99_RATIO * healthyErp.latencyP99Ms;
    notes.push(
      `**ERP-only query while the WMS is slow: p50 ${slowErp.latencyP50Ms} ms, p99 ${slowErp.latencyP99Ms} ms** ` +
        `(healthy: p50 ${healthyErp.latencyP50Ms} ms, p99 ${healthyErp.latencyP99Ms} ms): ` +
        (unaffected ? 'the ERP fields are not held back by the slow WMS.' : `p99 above ${TARGET_P99_RATIO}× healthy: the ERP fields were slowed.`),
    );
  }
  for (const r of results) {
    if (r.circuit !== null) notes.push(`${r.condition.label}: the ${r.condition.broken} circuit was ${r.circuit} when the measured window began.`);
    if (r.flagged && r.flagged.answers > 0 && r.condition.broken !== null) {
      const share = (100 * r.flagged.degraded) / r.flagged.answers;
      notes.push(`${r.condition.label}: ${share.toFixed(1)} % of the ${r.flagged.answers} unified-view answers carried \`extensions.degraded\`.`);
    }
  }
  notes.push(
    `"bad bodies": 2xx answers with \`errors\`, and with the ERP down also answers without \`extensions.degraded\`; every body is checked.`,
    `ERP down: the simulator resets every connection; after a few failed calls the circuit opens and ERP fields come from the fallback ` +
      `cache (the subgraph's own newest snapshots in memory, MongoDB for keys it has not answered) with no backend call (a probe every 5 s). WMS slow: every WMS answer comes ${SLOW_LATENCY_MS} ms late, as long as ` +
      `BACKEND_TIMEOUT_MS; the first calls time out, the circuit opens and WMS fields come from the cache, flagged, until the WMS is fast again.`,
    'The gateway\'s per-subject rate limit is switched off for this run (GATEWAY_LIMITS_PATH: `internal.rateLimit: null`): one token sends every request.',
    'Both rows of a condition share one gateway process and window, so their CPU and RSS columns are the same process.',
    'All processes (simulators, 4 subgraphs, gateway, Redis, FerretDB, autocannon) share the same cores.',
  );
  return {
    suite: SUITE,
    title: 'resilience: the unified view healthy, with a backend down, with a backend slow',
    description:
      `The \`UNIFIED_ORDER_VIEW\` query (${ORDERS_PER_REQUEST} orders, fields from all four subgraphs) through the gateway of a full hub ` +
      `started by \`startHubStack\` (real processes, Redis, FerretDB; production defaults except that the gateway executes every request: ` +
      `\`GATEWAY_COALESCING=off\`, \`GATEWAY_SUBGRAPH_DEDUPLICATION=off\`), in three conditions one after the other in ` +
      `one run: healthy; the ERP simulator down (fault switch \`down\`); the WMS simulator slow (\`slow\`, ${SLOW_LATENCY_MS} ms). ` +
      `At the same time as each, a smaller load of \`ERP_ONLY_VIEW\` (a customer and a product page: ERP fields only) shows whether ` +
      `the fields of healthy backends are held back.`,
    headings: { subject: 'Query, condition' },
    loadDescription:
      `autocannon, closed loop: the unified view with ${options.connections} connections and the ERP-only query with ` +
      `${Math.max(1, Math.round(options.connections / 10))} connections at the same time; per condition ${options.warmupSeconds} s warm-up ` +
      `(the broken backend's circuit opens in it) then ${options.durationSeconds} s measured`,
    measurements,
    notes,
  };
}
