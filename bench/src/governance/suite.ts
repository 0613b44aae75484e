import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubStack, startRedis, UNIFIED_ORDER_VIEW, type BackingService, type HubStack, type ServiceProcess } from '@crossdock/testkit';
import { describeDifference, postGraphQL } from '../federation/answer-check';
import { startBenchmarkSubgraphs } from '../federation/benchmark-subgraphs';
import { prepareCrossdockLaunch } from '../federation/crossdock-gateway';
import { expectedTestQueryAnswer, testQueryBody } from '../federation/test-query';
import { hubHelperPids } from '../hub-processes';
import { attempt } from '../row-errors';
import { stopStackOnExit } from '../stack-cleanup';
import type { Suite, SuiteOptions, SuiteResult } from '../suites';
import { compareWithGateway, orderNodesOf } from '../unified-order-view/floor-check';
import { measureAlternating, type AlternatingRun, type WindowSubject } from './alternating-windows';
import { BENCH_MAX_COST, profileDirs, startGatewayPair, UNREACHABLE_RATE_LIMIT, writeBenchLimits, type GatewayPair } from './governed-gateways';
import { readProfileShares } from './profile-shares';
import { governanceResult, type ScenarioResult } from './governance-report';

const SUITE = 'governance';
/**
 * Seconds per measured window. Many short windows rather than a few long ones: the machine's
 * other load comes in bursts, and more a/b pairs average them out better.
 */
const WINDOW_SECONDS = 5;
/** The unified view's page size, as in the unified-order-view suite. */
const ORDERS_PER_REQUEST = 20;

/** `npm run bench -- --suite governance`: what auth, scopes and limits cost the gateway (issue 6, item 8). */
export const governanceSuite: Suite = { name: SUITE, run: runGovernance };

async function runGovernance(options: SuiteOptions): Promise<SuiteResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'crossdock-bench-governance-'));
  const loadBefore = loadavg()[0] ?? Number.NaN;
  try {
    const limitsPath = writeBenchLimits(workDir);
    const federation = await federationScenario(options, workDir, limitsPath);
    const unified = await unifiedViewScenario(options, workDir, limitsPath);
    return governanceResult([federation, unified], {
      options,
      windowsPerSubject: windowsPerSubject(options),
      windowSeconds: WINDOW_SECONDS,
      loadAverages: [loadBefore, loadavg()[0] ?? Number.NaN],
      rateLimit: UNREACHABLE_RATE_LIMIT,
      maxCost: BENCH_MAX_COST,
      ordersPerRequest: ORDERS_PER_REQUEST,
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The harness's measured seconds per subject in windows of WINDOW_SECONDS; an even count (a b b a), at least 2. */
function windowsPerSubject(options: SuiteOptions): number {
  return Math.max(2, 2 * Math.round(options.durationSeconds / WINDOW_SECONDS / 2));
}

/** The federation benchmark's TestQuery over its four subgraphs, through both gateways. */
async function federationScenario(options: SuiteOptions, workDir: string, limitsPath: string): Promise<ScenarioResult> {
  const name = 'federation TestQuery';
  const owned: { subgraphs?: ServiceProcess; redis?: BackingService; gateways?: GatewayPair } = {};
  const profileDir = join(workDir, 'profiles-federation');
  let run: ScenarioResult['run'];
  try {
    run = await attempt(SUITE, async () => {
      const subgraphs = await startBenchmarkSubgraphs(workDir);
      owned.subgraphs = subgraphs.process;
      owned.redis = await startRedis();
      const launch = await prepareCrossdockLaunch(subgraphs.supergraphPath, owned.redis.url);
      owned.gateways = await startGatewayPair(launch.env, limitsPath, profileDir);
      const headers = { 'content-type': 'application/json', authorization: launch.authorization };
      for (const gateway of [owned.gateways.on, owned.gateways.off]) {
        const difference = describeDifference(await postGraphQL(`${gateway.url}/graphql`, testQueryBody, headers), expectedTestQueryAnswer());
        if (difference) throw new Error(`wrong answer to TestQuery: ${difference}`);
      }
      const pids = { subgraphs: owned.subgraphs.pid };
      return measurePair(name, owned.gateways, { headers, body: testQueryBody }, options, () => pids);
    });
  } finally {
    await owned.gateways?.stop();
    await owned.subgraphs?.stop();
    await owned.redis?.stop();
  }
  return { name, run, checked: 'both answers equal the one worked out from the data', profiles: profilesIn(profileDir) };
}

/** UNIFIED_ORDER_VIEW over a full hub (simulators, four subgraphs), through both gateways. */
async function unifiedViewScenario(options: SuiteOptions, workDir: string, limitsPath: string): Promise<ScenarioResult> {
  const name = 'unified order view';
  const owned: { stack?: HubStack; undoCleanup?: () => void; gateways?: GatewayPair } = {};
  const profileDir = join(workDir, 'profiles-unified');
  let checked = '';
  let run: ScenarioResult['run'];
  try {
    run = await attempt(SUITE, async () => {
      console.log(`${SUITE}: starting a hub stack (simulators without added latency, 4 subgraphs)`);
      const hub = await startHubStack({ simulatorLatencyMs: 0, env: { NODE_ENV: 'production' } });
      owned.stack = hub;
      owned.undoCleanup = stopStackOnExit(hub);
      owned.gateways = await startGatewayPair(hubGatewayEnv(hub), limitsPath, profileDir);
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${await hub.token()}` };
      const body = JSON.stringify({ query: UNIFIED_ORDER_VIEW, variables: { first: ORDERS_PER_REQUEST } });
      const nodesAt = async (gateway: ServiceProcess, who: string) => orderNodesOf(await postGraphQL(`${gateway.url}/graphql`, body, headers), who);
      const comparison = compareWithGateway(await nodesAt(owned.gateways.on, 'governance on'), await nodesAt(owned.gateways.off, 'governance off'));
      checked = `the same ${comparison.orders} order ids and totals from both, ${comparison.identicalOrders} of ${comparison.orders} orders identical in every field`;
      return measurePair(name, owned.gateways, { headers, body }, options, hubHelperPids);
    });
  } finally {
    await owned.gateways?.stop();
    await owned.stack?.stop();
    owned.undoCleanup?.();
  }
  return { name, run, checked, profiles: profilesIn(profileDir) };
}

/** The CPU profiles both gateways wrote when they stopped, as governance shares (null: none written). */
function profilesIn(dir: string): ScenarioResult['profiles'] {
  const dirs = profileDirs(dir);
  return { on: readProfileShares(dirs.on), off: readProfileShares(dirs.off) };
}

/** The environment startHubStack gives its own gateway, pointed at the stack's subgraphs. */
function hubGatewayEnv(hub: HubStack): Record<string, string> {
  return {
    HUB_JWT_SECRET: hub.jwtSecret,
    HUB_SUBGRAPH_SECRET: hub.subgraphSecret,
    REDIS_URL: hub.redisUrl,
    SUBGRAPH_URL_ERP: `${hub.subgraph('erp').url}/graphql`,
    SUBGRAPH_URL_WMS: `${hub.subgraph('wms').url}/graphql`,
    SUBGRAPH_URL_SHIPPING: `${hub.subgraph('shipping').url}/graphql`,
    SUBGRAPH_URL_COMMERCE: `${hub.subgraph('commerce').url}/graphql`,
  };
}

function measurePair(
  label: string,
  gateways: GatewayPair,
  request: { headers: Record<string, string>; body: string },
  options: SuiteOptions,
  helperPids: () => Record<string, number>,
): Promise<AlternatingRun> {
  // Both get the same bytes, token included; only the governed one reads the token.
  const load = { method: 'POST' as const, ...request, connections: options.connections, acceptBody };
  const subject = (name: string, gateway: ServiceProcess): WindowSubject => ({ name, pid: gateway.pid, load: { ...load, url: `${gateway.url}/graphql` } });
  return measureAlternating(subject('on', gateways.on), subject('off', gateways.off), {
    windowsPerSubject: windowsPerSubject(options),
    windowSeconds: WINDOW_SECONDS,
    warmupSeconds: options.warmupSeconds,
    helperPids,
    label: `${SUITE}: ${label}`,
  });
}

/** As in the federation suite: the reference's k6 check is the same substring test. */
function acceptBody(body: string): boolean {
  return !body.includes('"errors"');
}
