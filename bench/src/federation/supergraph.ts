import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { repoRoot } from '@crossdock/testkit';
import { subgraphNames, type SubgraphName } from './subgraphs/resolvers';
import { subgraphSdlPath } from './subgraphs/server';

/** Ports written into the committed supergraph; a run swaps in the ports its subgraphs got. */
const COMMITTED_PORTS: Record<SubgraphName, number> = { accounts: 4201, inventory: 4202, products: 4203, reviews: 4204 };

/** Path of the committed benchmark supergraph SDL. */
export function committedSupergraphPath(): string {
  return join(repoRoot(), 'bench', 'federation', 'supergraph.graphql');
}

/** Composes the four benchmark subgraphs with @apollo/composition, routing each to its port. */
export function composeBenchmarkSupergraph(ports: Record<SubgraphName, number>): string {
  const result = composeServices(
    subgraphNames.map((name) => ({
      name,
      url: `http://127.0.0.1:${ports[name]}/graphql`,
      typeDefs: parse(readFileSync(subgraphSdlPath(name), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`benchmark supergraph does not compose:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
  return result.supergraphSdl;
}

/** The supergraph as it should be committed (fixed ports). */
export function composeCommittedSupergraph(): string {
  return composeBenchmarkSupergraph(COMMITTED_PORTS);
}

/**
 * Fails when the committed supergraph is not what the subgraph SDL files compose to, so the
 * benchmark never runs on a schema nobody reviewed. Fix with `npx tsx bench/src/federation/compose-cli.ts`.
 */
export function assertCommittedSupergraphIsCurrent(): void {
  let committed: string;
  try {
    committed = readFileSync(committedSupergraphPath(), 'utf8');
  } catch {
    throw new Error(`${committedSupergraphPath()} is missing; run npx tsx bench/src/federation/compose-cli.ts`);
  }
  if (committed !== composeCommittedSupergraph()) {
    throw new Error(
      `${committedSupergraphPath()} differs from what bench/federation/schema/*.graphql compose to; ` +
        'run npx tsx bench/src/federation/compose-cli.ts and review the diff',
    );
  }
}
