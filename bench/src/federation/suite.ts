import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startRedis, type BackingService, type ServiceProcess } from '@crossdock/testkit';
import { runLoad, sampleProcess, sampleProcesses, type ProcessUsage } from '../load';
import { oneLine } from '../row-errors';
import { startTrackedProcess } from '../service-processes';
import type { Outcome, Suite, SuiteOptions, SuiteResult } from '../suites';
import { describeDifference, postGraphQL } from './answer-check';
import { CROSSDOCK_GATEWAY_ENTRY, crossdockGatewayExists, prepareCrossdockLaunch } from './crossdock-gateway';
import { checkSubgraphEntities } from './subgraph-check';
import { subgraphNames, type SubgraphName } from './subgraphs/resolvers';
import { assertCommittedSupergraphIsCurrent, composeBenchmarkSupergraph } from './supergraph';
import { expectedTestQueryAnswer, testQueryBody } from './test-query';

/** One gateway of the comparison. */
interface Contender {
  subject: string;
  /** The `service` name its process reports with its port. */
  service: string;
  entry: string;
  env: Record<string, string>;
  /** Why this row cannot run right now, if it cannot. */
  unavailable?: () => string | null;
}

const CROSSDOCK = 'crossdock';

/** graphql-hive/graphql-gateways-benchmark's "federation" scenario, gateway against gateway. */
export const federationSuite: Suite = { name: 'federation', run: runFederation };

async function runFederation(options: SuiteOptions): Promise<SuiteResult> {
  // Compose from the SDL files and compare with the committed supergraph before anything runs.
  assertCommittedSupergraphIsCurrent();
  const workDir = mkdtempSync(join(tmpdir(), 'crossdock-bench-federation-'));
  let subgraphs: ServiceProcess | undefined;
  let redis: BackingService | undefined;
  try {
    subgraphs = await startTrackedProcess({
      name: 'federation-subgraphs',
      entry: 'bench/src/federation/subgraphs/index.ts',
      env: { PORT: '0', NODE_ENV: 'production' },
      waitFor: [...subgraphNames],
    });
    const ports = subgraphPorts(subgraphs);
    await checkSubgraphEntities(ports);
    const supergraphPath = join(workDir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composeBenchmarkSupergraph(ports));

    // Crossdock's gateway keeps per-subject rate limits in Redis (required when started alone),
    // so the rate-limit check is part of what is measured.
    redis = await startRedis();
    const crossdock = await prepareCrossdockLaunch(supergraphPath, redis.url);
    // Every gateway gets the same bytes; the peers ignore the header, Crossdock verifies it.
    const headers = { 'content-type': 'application/json', authorization: crossdock.authorization };
    const peerEnv = { PORT: '0', SUPERGRAPH_PATH: supergraphPath, NODE_ENV: 'production' };
    const contenders: Contender[] = [
      { subject: `apollo-gateway ${version('@apollo/gateway')}`, service: 'apollo-gateway', entry: 'bench/src/federation/apollo-gateway-peer.ts', env: peerEnv },
      { subject: `hive-gateway ${version('@graphql-hive/gateway')}`, service: 'hive-gateway', entry: 'bench/src/federation/hive-gateway-peer.ts', env: peerEnv },
      {
        subject: CROSSDOCK,
        service: 'gateway',
        entry: CROSSDOCK_GATEWAY_ENTRY,
        env: { ...crossdock.env, NODE_ENV: 'production' },
        unavailable: () => (crossdockGatewayExists() ? null : `crossdock gateway not found (${CROSSDOCK_GATEWAY_ENTRY} does not exist yet)`),
      },
    ];
    const measurements = [];
    for (const contender of contenders) {
      const outcome = await measure(contender, headers, subgraphs, options);
      if (outcome.kind !== 'measured') console.log(`federation: ${contender.subject} ${outcome.kind}: ${outcome.reason}`);
      measurements.push({ subject: contender.subject, outcome });
    }
    return {
      suite: 'federation',
      title: 'federation: the graphql-gateways-benchmark supergraph',
      description:
        'The `TestQuery` of graphql-hive/graphql-gateways-benchmark ("federation" scenario: accounts, inventory, ' +
        'products and reviews subgraphs, same SDL and data, here served by cheap Node subgraphs in one separate process) ' +
        'posted through each gateway, one gateway process at a time on the same subgraphs. Each answer is first checked ' +
        'against the one worked out from the data; closed-loop load like the reference\'s k6 constant VUs.',
      ratioOf: CROSSDOCK,
      measurements,
      notes: [
        'hive-gateway runs as one process through its runtime API with JIT (the reference runs its CLI with --jit, a worker per core and in-flight deduplication, which will be a separate variant here).',
        'hive-gateway, stock: it merges identical in-flight subgraph fetches (@graphql-tools/executor-http), hence its low subgraph CPU.',
        'apollo-gateway runs as one process on @apollo/server standalone (the reference forks a worker per core).',
        'Every request carries the same `authorization: Bearer <HS256 JWT>`; only Crossdock verifies it.',
        '"bad bodies": 2xx answers containing GraphQL `errors`.',
        'Supergraph: bench/federation/supergraph.graphql, recomposed with @apollo/composition at start and compared.',
      ],
    };
  } finally {
    await subgraphs?.stop();
    await redis?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function measure(
  contender: Contender,
  headers: Record<string, string>,
  subgraphs: ServiceProcess,
  options: SuiteOptions,
): Promise<Outcome> {
  const reason = contender.unavailable?.();
  if (reason) return { kind: 'skipped', reason };
  console.log(`federation: starting ${contender.subject}`);
  let gateway: ServiceProcess;
  try {
    gateway = await startTrackedProcess({ name: contender.service, entry: contender.entry, env: contender.env, startTimeoutMs: 90_000 });
  } catch (error) {
    console.error(`federation: ${contender.subject} did not start:`, error instanceof Error ? error.message : error);
    return { kind: 'failed', reason: `did not start: ${oneLine(error)}` };
  }
  try {
    const url = `${gateway.url}/graphql`;
    const answer = await postGraphQL(url, testQueryBody, headers);
    const difference = describeDifference(answer, expectedTestQueryAnswer());
    if (difference) return { kind: 'failed', reason: `wrong answer to TestQuery: ${difference}` };

    const load = { url, method: 'POST' as const, headers, body: testQueryBody, connections: options.connections, acceptBody };
    console.log(`federation: ${contender.subject} answers correctly; warming up ${options.warmupSeconds} s`);
    if (options.warmupSeconds > 0) await runLoad({ ...load, durationSeconds: options.warmupSeconds });
    console.log(`federation: ${contender.subject} measuring ${options.durationSeconds} s`);
    const gatewaySampler = sampleProcess(gateway.pid);
    // The other two processes share the same cores; their CPU shows whether they held the gateway back.
    const helperSamplers = sampleProcesses({ subgraphs: subgraphs.pid, 'load generator': process.pid });
    const stopHelpers = (): Record<string, ProcessUsage> => helperSamplers.stop();
    // Samplers stop on failure too: a live interval would keep the harness from exiting.
    const result = await runLoad({ ...load, durationSeconds: options.durationSeconds }).finally(() => {
      gatewaySampler.stop();
      stopHelpers();
    });
    return { kind: 'measured', load: result, usage: gatewaySampler.stop(), helpers: stopHelpers() };
  } catch (error) {
    return { kind: 'failed', reason: oneLine(error) };
  } finally {
    await gateway.stop();
  }
}

/** Cheap enough for every response: the reference's k6 check is the same substring test. */
function acceptBody(body: string): boolean {
  return !body.includes('"errors"');
}

function subgraphPorts(process: ServiceProcess): Record<SubgraphName, number> {
  const ports = {} as Record<SubgraphName, number>; // filled for every name just below
  for (const name of subgraphNames) {
    const port = process.ports[name];
    if (port === undefined) throw new Error(`subgraphs process did not report ${name}`);
    ports[name] = port;
  }
  return ports;
}

function version(packageName: string): string {
  const manifest: unknown = JSON.parse(readFileSync(join(repoRoot(), 'node_modules', packageName, 'package.json'), 'utf8'));
  const found = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>).version : undefined;
  return typeof found === 'string' ? found : 'unknown';
}

