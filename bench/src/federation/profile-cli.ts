/**
 * `npx tsx bench/src/federation/profile-cli.ts [--gateway crossdock|apollo-gateway|hive-gateway]
 *   [--seconds 20] [--connections 50] [--top 25] [--keep <dir>] [--env NAME=value ...]`
 *
 * Runs one gateway of the federation suite under `node --cpu-prof` on the benchmark's subgraphs,
 * loads it with `TestQuery` for the given time, stops it (the profile is written at exit) and
 * prints the functions with the most self time, as a markdown table. The profile covers the
 * process' whole life; start-up is a few percent of a 20 s run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startRedis, type BackingService, type ServiceProcess } from '@crossdock/testkit';
import { writeBenchLimits } from '../governance/governed-gateways';
import { runLoad } from '../load';
import { startTrackedProcess, stopAllProcesses } from '../service-processes';
import { startBenchmarkSubgraphs } from './benchmark-subgraphs';
import { CROSSDOCK_GATEWAY_ENTRY, prepareCrossdockLaunch } from './crossdock-gateway';
import { summarizeCpuProfile, type ProfileEntry } from './cpu-profile';
import { testQueryBody } from './test-query';

const ENTRIES: Record<string, { entry: string; service: string }> = {
  crossdock: { entry: CROSSDOCK_GATEWAY_ENTRY, service: 'gateway' },
  'apollo-gateway': { entry: 'bench/src/federation/apollo-gateway-peer.ts', service: 'apollo-gateway' },
  'hive-gateway': { entry: 'bench/src/federation/hive-gateway-peer.ts', service: 'hive-gateway' },
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      gateway: { type: 'string', default: 'crossdock' },
      seconds: { type: 'string', default: '20' },
      connections: { type: 'string', default: '50' },
      top: { type: 'string', default: '25' },
      keep: { type: 'string' },
      env: { type: 'string', multiple: true },
    },
  });
  const chosen = ENTRIES[values.gateway ?? 'crossdock'];
  if (!chosen) throw new Error(`--gateway must be one of ${Object.keys(ENTRIES).join(', ')}`);
  const extraEnv = Object.fromEntries((values.env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  const workDir = mkdtempSync(join(tmpdir(), 'crossdock-profile-'));
  const profileDir = values.keep ?? join(workDir, 'profiles');
  let redis: BackingService | undefined;
  let subgraphs: ServiceProcess | undefined;
  try {
    const started = await startBenchmarkSubgraphs(workDir);
    subgraphs = started.process;
    redis = await startRedis();
    const crossdock = await prepareCrossdockLaunch(started.supergraphPath, redis.url);
    const env =
      values.gateway === 'crossdock'
        ? { ...crossdock.env, GATEWAY_LIMITS_PATH: writeBenchLimits(workDir), NODE_ENV: 'production', ...extraEnv }
        : { PORT: '0', SUPERGRAPH_PATH: started.supergraphPath, NODE_ENV: 'production', ...extraEnv };
    const gateway = await startTrackedProcess({
      name: chosen.service,
      entry: chosen.entry,
      env,
      nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir],
      startTimeoutMs: 90_000,
    });
    const headers = { 'content-type': 'application/json', authorization: crossdock.authorization };
    const load = await runLoad({
      url: `${gateway.url}/graphql`,
      method: 'POST',
      headers,
      body: testQueryBody,
      connections: Number(values.connections),
      durationSeconds: Number(values.seconds),
      acceptBody: (body) => !body.includes('"errors"'),
    });
    await gateway.stop();
    console.log(
      `${values.gateway}: ${load.requestsPerSecond.toFixed(1)} req/s, p50 ${load.latencyP50Ms} ms, p99 ${load.latencyP99Ms} ms, ` +
        `non-2xx ${load.non2xx}, errors ${load.errors}, bad bodies ${load.mismatches}`,
    );
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile in ${profileDir}: did the gateway exit cleanly?`);
    const summary = summarizeCpuProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')));
    console.log(`\nprofile ${join(profileDir, file)}: ${summary.busyMs.toFixed(0)} ms busy of ${summary.totalMs.toFixed(0)} ms sampled\n`);
    console.log(renderEntries(summary.entries.slice(0, Number(values.top))));
  } finally {
    await subgraphs?.stop();
    await redis?.stop();
    await stopAllProcesses();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function renderEntries(entries: readonly ProfileEntry[]): string {
  const rows = entries.map((e) => `| ${e.selfPercent.toFixed(1)} | ${e.functionName} | ${e.location} |`);
  return ['| self % of busy | function | where |', '| --- | --- | --- |', ...rows].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
