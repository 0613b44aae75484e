import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceProcess } from '@crossdock/testkit';
import { startTrackedProcess } from '../service-processes';
import { checkSubgraphEntities } from './subgraph-check';
import { subgraphNames, type SubgraphName } from './subgraphs/resolvers';
import { assertCommittedSupergraphIsCurrent, composeBenchmarkSupergraph } from './supergraph';

/** The four benchmark subgraphs, running, and the supergraph that routes to them. */
export interface BenchmarkSubgraphs {
  process: ServiceProcess;
  /** Composed for the ports this run's subgraphs got, written into the given directory. */
  supergraphPath: string;
}

/**
 * Checks the committed supergraph against the SDL files, starts the four subgraphs in one
 * process, checks their entity answers and writes the supergraph for their ports into `workDir`.
 */
export async function startBenchmarkSubgraphs(workDir: string): Promise<BenchmarkSubgraphs> {
  // Compose from the SDL files and compare with the committed supergraph before anything runs.
  assertCommittedSupergraphIsCurrent();
  const subgraphs = await startTrackedProcess({
    name: 'federation-subgraphs',
    entry: 'bench/src/federation/subgraphs/index.ts',
    env: { PORT: '0', NODE_ENV: 'production' },
    waitFor: [...subgraphNames],
  });
  try {
    const ports = subgraphPorts(subgraphs);
    await checkSubgraphEntities(ports);
    const supergraphPath = join(workDir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composeBenchmarkSupergraph(ports));
    return { process: subgraphs, supergraphPath };
  } catch (error) {
    await subgraphs.stop();
    throw error;
  }
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
