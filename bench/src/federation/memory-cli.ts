/**
 * `npx tsx bench/src/federation/memory-cli.ts [--gateway crossdock|apollo-gateway|hive-gateway]
 *   [--seconds 20] [--connections 50] [--node-arg <flag> ...] [--env NAME=value ...] [--heap-snapshot <dir>]`
 *
 * Runs one gateway of the federation suite on the benchmark's subgraphs, loads it with
 * `TestQuery` for the given time and prints its resident memory: peak, median of the last
 * fifth of the window, and the peak the kernel recorded (VmHWM), with its CPU per request.
 * `--heap-snapshot <dir>` writes two V8 heap snapshots there (through `--heapsnapshot-signal`),
 * idle before the load and three quarters into it, to see what holds the memory (the second one
 * stalls the gateway for a while, so its figures are not for comparison). One gateway at a time, so it can be
 * repeated with different flags faster than the whole suite.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, sampleProcess } from '../load';
import { envOptions } from '../env-options';
import { startLoneGateway } from './gateway-entries';
import { testQueryBody } from './test-query';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      gateway: { type: 'string', default: 'crossdock' },
      seconds: { type: 'string', default: '20' },
      connections: { type: 'string', default: '50' },
      'node-arg': { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      'heap-snapshot': { type: 'string' },
    },
  });
  const snapshotDir = values['heap-snapshot'];
  const nodeArgs = [...(values['node-arg'] ?? []), ...(snapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : [])];
  // Crossdock executes every request, as in the suite's first mode.
  const lone = await startLoneGateway(values.gateway ?? 'crossdock', { env: { GATEWAY_COALESCING: 'off', ...envOptions(values.env) }, nodeArgs });
  try {
    const { gateway } = lone;
    const idleRss = rssKiB(gateway.pid, 'VmRSS') / 1024;
    if (snapshotDir) await writeHeapSnapshot(gateway.pid);
    const sampler = sampleProcess(gateway.pid);
    // The second snapshot is taken under load, three quarters into the window.
    const underLoad = snapshotDir ? setTimeout(() => process.kill(gateway.pid, 'SIGUSR2'), Number(values.seconds) * 750) : undefined;
    const load = await runLoad({
      url: `${gateway.url}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: lone.authorization },
      body: testQueryBody,
      connections: Number(values.connections),
      durationSeconds: Number(values.seconds),
      acceptBody: (body) => !body.includes('"errors"'),
    });
    clearTimeout(underLoad);
    const usage = sampler.stop();
    const highWater = rssKiB(gateway.pid, 'VmHWM') / 1024;
    if (snapshotDir) await snapshotsWritten(snapshotDir, 2);
    await gateway.stop();
    console.log(
      `${values.gateway} ${nodeArgs.join(' ')}: ${load.requestsPerSecond.toFixed(1)} req/s, p50 ${load.latencyP50Ms} ms, p99 ${load.latencyP99Ms} ms, ` +
        `bad bodies ${load.mismatches}; RSS idle ${idleRss.toFixed(0)} MiB, peak ${usage.peakRssMiB.toFixed(0)} MiB, ` +
        `last fifth ${usage.rssLastMiB.toFixed(0)} MiB, VmHWM ${highWater.toFixed(0)} MiB; ` +
        `CPU ${((usage.cpuPercent * 10) / load.requestsPerSecond).toFixed(2)} ms/request`,
    );
  } finally {
    await lone.stop();
  }
}

/** Asks for a heap snapshot and gives the process time to write it (it answers nothing meanwhile). */
async function writeHeapSnapshot(pid: number): Promise<void> {
  process.kill(pid, 'SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 10_000));
}

/** Waits (up to a minute) until `count` snapshots are in `dir` and the newest stopped growing. */
async function snapshotsWritten(dir: string, count: number): Promise<void> {
  const sizes = () => readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot')).map((name) => statSync(join(dir, name)).size);
  let last = -1;
  for (let waited = 0; waited < 60_000; waited += 2_000) {
    const found = sizes();
    const newest = found.length >= count ? Math.min(...found) : -1;
    if (newest > 0 && newest === last) return;
    last = newest;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** A memory line of /proc/<pid>/status in KiB (VmRSS, VmHWM). */
function rssKiB(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
