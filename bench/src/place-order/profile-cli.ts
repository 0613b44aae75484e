/**
 * `npx tsx bench/src/place-order/profile-cli.ts [--seconds 20] [--connections 50] [--hot] [--top 15]
 *   [--only commerce,simulators] [--keep <dir>] [--env NAME=value ...]`
 *
 * Starts a full hub (as the place-order suite does) with the gateway, the four subgraphs and the
 * simulators under `node --cpu-prof` (or only those named by `--only`: the profiler slows each
 * process it watches), raises the stock the orders draw on, places orders through
 * the gateway in a closed loop for the given time (spread over the suite's SKUs, or all on its hot
 * SKU with `--hot`), stops the hub (the profiles are written at exit) and prints, per process, its
 * CPU per accepted order and the functions with the most self time, as markdown tables. Profiles
 * cover each process' whole life, start-up and the stock receipts included, so a short run
 * overstates the per-order figure; compare runs of the same length.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHubStack, SUBGRAPHS, type HubStack } from '@crossdock/testkit';
import { printProcessProfiles } from '../federation/cpu-profile';
import { envOptions } from '../env-options';
import { describeLoad, runLoad } from '../load';
import { OrderFeed } from './order-feed';
import { orderMix } from './order-mix';
import { raiseStock } from './sku-stock';

const PROFILABLE = ['gateway', ...SUBGRAPHS, 'simulators'] as const;
type Profilable = (typeof PROFILABLE)[number];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      connections: { type: 'string', default: '50' },
      hot: { type: 'boolean', default: false },
      top: { type: 'string', default: '15' },
      only: { type: 'string' },
      keep: { type: 'string' },
      env: { type: 'string', multiple: true },
    },
  });
  const extraEnv = envOptions(values.env);
  const workDir = mkdtempSync(join(tmpdir(), 'crossdock-order-profile-'));
  const profileRoot = values.keep ?? workDir;
  const dirOf = (name: string) => join(profileRoot, name);
  const profiled = values.only === undefined ? [...PROFILABLE] : values.only.split(',').map((name) => name.trim());
  const unknown = profiled.filter((name) => !(PROFILABLE as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown process ${unknown.join(', ')}; one of ${PROFILABLE.join(', ')}`);
  const profiling = (name: Profilable) => (profiled.includes(name) ? ['--cpu-prof', '--cpu-prof-dir', dirOf(name)] : []);
  const mix = orderMix();
  const skus = values.hot ? [mix.hotSku] : mix.spreadSkus;
  let hub: HubStack | undefined;
  try {
    hub = await startHubStack({
      replicas: 1,
      env: { NODE_ENV: 'production', ...extraEnv },
      gatewayNodeArgs: profiling('gateway'),
      subgraphNodeArgs: Object.fromEntries(SUBGRAPHS.map((name) => [name, profiling(name)])),
      simulatorNodeArgs: profiling('simulators'),
    });
    for (const sku of skus) await raiseStock(hub.simulatorUrls.wms, sku, mix.warehouseId, 1_000_000);
    const token = await hub.token({ scopes: ['orders:write', 'orders:read'] });
    const feed = new OrderFeed({ skus, customers: mix.customerTurns, channel: 'web' }, `profile-${Date.now()}`);
    const load = await runLoad({
      url: `${hub.gatewayUrl}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      connections: Number(values.connections),
      durationSeconds: Number(values.seconds),
      feed,
    });
    await hub.stop();
    hub = undefined;
    const accepted = feed.answers.accepted;
    console.log(
      `${load.totalRequests} requests, ${describeLoad(load)}; answers ${[...feed.answers.counts].map(([code, n]) => `${code} ${n}`).join(', ')}`,
    );
    printProcessProfiles(profiled.map((name) => ({ name, dir: dirOf(name) })), { count: accepted, label: 'accepted order' }, Number(values.top));
  } finally {
    await hub?.stop();
    if (!values.keep) rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
