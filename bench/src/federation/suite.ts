import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type BackingService, type ServiceProcess } from '@crossdock/testkit';
import { writeBenchLimits } from '../governance/governed-gateways';
import { oneLine } from '../row-errors';
import { startTrackedProcess } from '../service-processes';
import type { Suite, SuiteOptions, SuiteResult } from '../suites';
import { describeDifference, postGraphQL } from './answer-check';
import { startBenchmarkSubgraphs } from './benchmark-subgraphs';
import { federationContenders, type Contender } from './contenders';
import { prepareCrossdockLaunch } from './crossdock-gateway';
import { federationResult, type ContenderRun } from './federation-report';
import { measureRotating, roundsOf } from './rotating-windows';
import { expectedTestQueryAnswer, testQueryBody } from './test-query';

/** graphql-hive/graphql-gateways-benchmark's "federation" scenario, gateway against gateway. */
export const federationSuite: Suite = { name: 'federation', run: runFederation };

async function runFederation(options: SuiteOptions): Promise<SuiteResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'crossdock-bench-federation-'));
  const loadAtStart = loadavg()[0] ?? 0;
  let subgraphs: ServiceProcess | undefined;
  let redis: BackingService | undefined;
  const gateways: ServiceProcess[] = [];
  try {
    const started = await startBenchmarkSubgraphs(workDir);
    subgraphs = started.process;
    // Crossdock's gateway keeps per-subject rate limits in Redis (required when started alone),
    // so the rate-limit check is part of what is measured.
    redis = await startRedis();
    const crossdock = await prepareCrossdockLaunch(started.supergraphPath, redis.url);
    // The built-in internal cost limit refuses TestQuery (static cost 23,315 > 20,000) and its rate
    // limit is below the coalesced rate: both raised, both still checked on every request.
    const crossdockEnv = { ...crossdock.env, GATEWAY_LIMITS_PATH: writeBenchLimits(workDir) };
    // Every gateway gets the same bytes; the peers ignore the header, Crossdock verifies it.
    const headers = { 'content-type': 'application/json', authorization: crossdock.authorization };
    const runs: ContenderRun[] = [];
    for (const contender of federationContenders(started.supergraphPath, crossdockEnv)) {
      const run = await startChecked(contender, headers);
      if (run.process) gateways.push(run.process);
      runs.push(run);
    }
    const ready = runs.filter((run) => run.process && !run.failure);
    const { rounds, windowSeconds } = roundsOf(options.durationSeconds);
    const subjects = ready.map((run) => ({
      name: run.contender.subject,
      pid: run.process!.pid, // ready runs have a process
      load: { url: `${run.process!.url}/graphql`, method: 'POST' as const, headers, body: testQueryBody, connections: options.connections, acceptBody },
    }));
    const windows = await measureRotating(subjects, {
      rounds,
      windowSeconds,
      warmupSeconds: options.warmupSeconds,
      helperPids: () => ({ subgraphs: subgraphs!.pid }), // started above
      label: 'federation',
    });
    return federationResult(runs, windows, { options, rounds, windowSeconds, loadAverages: [loadAtStart, loadavg()[0] ?? 0] });
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await subgraphs?.stop();
    await redis?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Starts one contender and checks its answer to TestQuery against the one worked out from the data. */
async function startChecked(contender: Contender, headers: Record<string, string>): Promise<ContenderRun> {
  console.log(`federation: starting ${contender.subject}`);
  let process: ServiceProcess;
  try {
    process = await startTrackedProcess({ name: contender.service, entry: contender.entry, env: contender.env, startTimeoutMs: 90_000 });
  } catch (error) {
    console.error(`federation: ${contender.subject} did not start:`, oneLine(error));
    return { contender, process: null, failure: `did not start: ${oneLine(error)}` };
  }
  try {
    const answer = await postGraphQL(`${process.url}/graphql`, testQueryBody, headers);
    const difference = describeDifference(answer, expectedTestQueryAnswer());
    return { contender, process, failure: difference ? `wrong answer to TestQuery: ${difference}` : null };
  } catch (error) {
    return { contender, process, failure: oneLine(error) };
  }
}

/** Cheap enough for every response: the reference's k6 check is the same substring test. */
function acceptBody(body: string): boolean {
  return !body.includes('"errors"');
}
