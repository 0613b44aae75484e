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
import { describeLoad, runLoad } from '../load';
import { renderProfileTable, summarizeCpuProfile } from './cpu-profile';
import { envOptions } from '../env-options';
import { startLoneGateway, type LoneGateway } from './gateway-entries';
import { testQueryBody } from './test-query';

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
  const workDir = mkdtempSync(join(tmpdir(), 'crossdock-profile-'));
  const profileDir = values.keep ?? join(workDir, 'profiles');
  let lone: LoneGateway | undefined;
  try {
    lone = await startLoneGateway(values.gateway ?? 'crossdock', { env: envOptions(values.env), nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] });
    const { gateway } = lone;
    const headers = { 'content-type': 'application/json', authorization: lone.authorization };
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
      `${values.gateway}: ${describeLoad(load)}, bad bodies ${load.mismatches}`,
    );
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile in ${profileDir}: did the gateway exit cleanly?`);
    const summary = summarizeCpuProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')));
    console.log(`\nprofile ${join(profileDir, file)}: ${summary.busyMs.toFixed(0)} ms busy of ${summary.totalMs.toFixed(0)} ms sampled\n`);
    console.log(renderProfileTable(summary.entries.slice(0, Number(values.top))));
  } finally {
    await lone?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
