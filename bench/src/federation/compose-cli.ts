/** Rewrites bench/federation/supergraph.graphql from the benchmark subgraphs' SDL files. */
import { writeFileSync } from 'node:fs';
import { committedSupergraphPath, composeCommittedSupergraph } from './supergraph';

writeFileSync(committedSupergraphPath(), composeCommittedSupergraph());
console.log(`wrote ${committedSupergraphPath()}`);
