/**
 * `npx tsx bench/src/unified-order-view/profile-cli.ts [--seconds 20] [--connections 10] [--top 15]
 *   [--latency 0] [--keep <dir>] [--env NAME=value ...]`
 *
 * Starts a full hub (as the unified-order-view suite does, every request executed: no coalescing,
 * no subgraph deduplication) with the gateway and the four subgraphs under `node --cpu-prof`,
 * loads the gateway with the UNIFIED_ORDER_VIEW query for the given time (`--latency`: every
 * simulator answer that many ms late, as in unified-order-view-50ms), stops the hub (the
 * profiles are written at exit) and prints, per process, its CPU per request and the functions
 * with the most self time, as markdown tables. Profiles cover each process' whole life, start-up
 * included; the per-request figure is busy time over answered requests, so a short run overstates it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHubStack, SUBGRAPHS, UNIFIED_ORDER_VIEW, type HubStack } from '@crossdock/testkit';
import { printProcessProfiles } from '../federation/cpu-profile';
import { envOptions } from '../env-options';
import { describeLoad, runLoad } from '../load';
import { EVERY_REQUEST_EXECUTED } from '../governance/governed-gateways';

const PROFILED = ['gateway', ...SUBGRAPHS] as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      connections: { type: 'string', default: '10' },
      top: { type: 'string', default: '15' },
      latency: { type: 'string', default: '0' },
      keep: { type: 'string' },
      env: { type: 'string', multiple: true },
    },
  });
  const extraEnv = envOptions(values.env);
  const workDir = mkdtempSync(join(tmpdir(), 'crossdock-uov-profile-'));
  const profileRoot = values.keep ?? workDir;
  const dirOf = (name: string) => join(profileRoot, name);
  const profiling = (name: string) => ['--cpu-prof', '--cpu-prof-dir', dirOf(name)];
  let hub: HubStack | undefined;
  try {
    hub = await startHubStack({
      simulatorLatencyMs: Number(values.latency),
      env: { NODE_ENV: 'production', ...extraEnv },
      serviceEnv: { gateway: { ...EVERY_REQUEST_EXECUTED } },
      gatewayNodeArgs: profiling('gateway'),
      subgraphNodeArgs: Object.fromEntries(SUBGRAPHS.map((name) => [name, profiling(name)])),
    });
    const body = JSON.stringify({ query: UNIFIED_ORDER_VIEW, variables: { first: 20 } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await hub.token()}` };
    const load = await runLoad({
      url: `${hub.gatewayUrl}/graphql`,
      method: 'POST',
      headers,
      body,
      connections: Number(values.connections),
      durationSeconds: Number(values.seconds),
      acceptBody: (answer) => !answer.includes('"errors"'),
    });
    await hub.stop();
    hub = undefined;
    console.log(
      `${load.totalRequests} requests, ${describeLoad(load)}, bad bodies ${load.mismatches}`,
    );
    printProcessProfiles(PROFILED.map((name) => ({ name, dir: dirOf(name) })), { count: load.totalRequests, label: 'request' }, Number(values.top));
  } finally {
    await hub?.stop();
    if (!values.keep) rmSync(workDir, { recursive: true, force: true });
  }
}


main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
