import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where governance code lives, by script URL; the first that matches a frame names it. */
const GOVERNANCE_CODE: readonly (readonly [string, RegExp])[] = [
  ['token verification', /\/packages\/auth\/src\/token-verifier|\/node_modules\/jose\//],
  ['rate limit and its Redis client', /\/gateway\/src\/limits\/(rate-limit|rate-limiter|redis-rate-limit-store)|\/node_modules\/@redis\/|\/node_modules\/redis\//],
  ['operation limits', /\/gateway\/src\/limits\/(limits-plugin|operation-limits|operation-cost|document-shape|cost-directives)/],
  ['scope check', /\/gateway\/src\/authorization\//],
  ['trusted documents', /\/gateway\/src\/trusted-documents\//],
  ['client admission', /\/gateway\/src\/(context|limits\/admission|limits\/client-class)\.ts/],
];

/**
 * Frames of the gateway's own work that governance code calls into: the scope wrapper calls the
 * federation executor, so a sample under the executor is execution, not the scope check.
 */
const EXECUTION = /@apollo\/gateway\/dist\/index\.js|@apollo\/server\/dist\/cjs\/requestPipeline\.js/;

/** Module loading at start-up, left out: both gateways load the same modules once. */
const START_UP = /^node:internal\/modules|\/node_modules\/tsx\/dist\//;

/** How a CPU profile's busy samples divide between governance code and the rest. */
export interface ProfileShares {
  /** Samples neither idle nor loading modules. */
  busySamples: number;
  /** Share (0–1) of busy samples by governance category; categories without samples left out. */
  governance: Record<string, number>;
  /** Sum of `governance`. */
  governanceTotal: number;
  /** Share of busy samples in V8's garbage collector: allocations governance makes land here, not above. */
  garbageCollection: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/**
 * Reads the one `.cpuprofile` Node wrote into `dir` (`--cpu-prof --cpu-prof-dir=<dir>`) and
 * attributes each sample, from its leaf up, to the first governance frame on its stack, unless
 * execution comes first. Counts samples rather than summing time deltas: on a busy machine a
 * delta also holds the time the process waited for a core. Null when no profile was written.
 */
export function readProfileShares(dir: string): ProfileShares | null {
  const file = existsSync(dir) ? readdirSync(dir).find((name) => name.endsWith('.cpuprofile')) : undefined;
  if (!file) return null;
  const profile: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  if (!isProfile(profile)) throw new Error(`${join(dir, file)} is not a V8 CPU profile`);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const counts = new Map<string, number>();
  let busySamples = 0;
  let gcSamples = 0;
  for (const sample of profile.samples) {
    const stack = stackOf(sample, nodes, parents);
    if (stack[0]?.functionName === '(idle)' || stack.some((frame) => START_UP.test(frame.url))) continue;
    busySamples += 1;
    if (stack[0]?.functionName === '(garbage collector)') gcSamples += 1;
    const category = governanceCategory(stack);
    if (category) counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  const governance = Object.fromEntries([...counts].map(([category, count]) => [category, count / busySamples]));
  const governanceTotal = Object.values(governance).reduce((sum, share) => sum + share, 0);
  return { busySamples, governance, governanceTotal, garbageCollection: gcSamples / busySamples };
}

function stackOf(leaf: number, nodes: ReadonlyMap<number, ProfileNode>, parents: ReadonlyMap<number, number>): ProfileNode['callFrame'][] {
  const stack: ProfileNode['callFrame'][] = [];
  for (let id: number | undefined = leaf; id !== undefined; id = parents.get(id)) {
    const node = nodes.get(id);
    if (node) stack.push(node.callFrame);
  }
  return stack;
}

function governanceCategory(stack: readonly ProfileNode['callFrame'][]): string | null {
  for (const frame of stack) {
    if (EXECUTION.test(frame.url)) return null;
    const found = GOVERNANCE_CODE.find(([, code]) => code.test(frame.url));
    if (found) return found[0];
  }
  return null;
}

function isProfile(value: unknown): value is { nodes: ProfileNode[]; samples: number[] } {
  if (typeof value !== 'object' || value === null || !('nodes' in value) || !('samples' in value)) return false;
  const { nodes, samples } = value;
  return Array.isArray(nodes) && Array.isArray(samples) && nodes.every(isNode) && samples.every((s) => typeof s === 'number');
}

function isNode(value: unknown): value is ProfileNode {
  if (typeof value !== 'object' || value === null || !('id' in value) || !('callFrame' in value)) return false;
  const frame = value.callFrame;
  return (
    typeof value.id === 'number' &&
    typeof frame === 'object' &&
    frame !== null &&
    'url' in frame &&
    typeof frame.url === 'string' &&
    'functionName' in frame &&
    typeof frame.functionName === 'string'
  );
}
