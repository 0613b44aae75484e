import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of V8's `.cpuprofile` (node --cpu-prof) that a self-time summary needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's self time, summed over every place it was called from. */
export interface ProfileEntry {
  functionName: string;
  /** package/file:line, shortened to what tells the function apart. */
  location: string;
  selfMs: number;
  /** Of the busy time: everything but `(idle)` and `(program)`. */
  selfPercent: number;
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  /** Largest self time first. */
  entries: ProfileEntry[];
}

const NOT_BUSY = new Set(['(idle)', '(program)']);

/** Sums each sample's time onto the function it was taken in, grouped by function and place. */
export function summarizeCpuProfile(profile: CpuProfile): ProfileSummary {
  const nodeKeys = new Map<number, string>();
  const described = new Map<string, { functionName: string; location: string }>();
  for (const node of profile.nodes) {
    const functionName = node.callFrame.functionName || '(anonymous)';
    const location = shortLocation(node.callFrame.url, node.callFrame.lineNumber);
    const key = `${functionName}\u0000${location}`;
    nodeKeys.set(node.id, key);
    described.set(key, { functionName, location });
  }
  const selfMs = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((nodeId, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    totalMs += ms;
    const key = nodeKeys.get(nodeId);
    if (key !== undefined) selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
  });
  let busyMs = 0;
  for (const [key, ms] of selfMs) if (!NOT_BUSY.has(described.get(key)?.functionName ?? '')) busyMs += ms;
  const entries = [...selfMs]
    .map(([key, ms]) => ({ ...described.get(key)!, selfMs: ms })) // every key came from `described`
    .filter((entry) => !NOT_BUSY.has(entry.functionName))
    .map((entry) => ({ ...entry, selfPercent: busyMs === 0 ? 0 : (100 * entry.selfMs) / busyMs }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs, busyMs, entries };
}

/** `node_modules/@apollo/gateway/dist/executeQueryPlan.js:120` → `@apollo/gateway/dist/executeQueryPlan.js:121`. */
function shortLocation(url: string, zeroBasedLine: number): string {
  if (url === '') return 'native';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  const short = inModules >= 0 ? path.slice(inModules + 'node_modules/'.length) : path.replace(/^.*\/work\/main\//, '');
  return `${short}:${zeroBasedLine + 1}`;
}

/** Profile entries as a markdown table, largest self time first. */
export function renderProfileTable(entries: readonly ProfileEntry[]): string {
  const rows = entries.map((e) => `| ${e.selfPercent.toFixed(1)} | ${e.functionName} | ${e.location} |`);
  return ['| self % of busy | function | where |', '| --- | --- | --- |', ...rows].join('\n');
}

/**
 * Prints, for each process, its busy time, that time per unit of work done (`units`: how many,
 * and what one is called) and its functions with the most self time, from the `.cpuprofile` that
 * `node --cpu-prof --cpu-prof-dir <dir>` wrote at the process' exit. A directory without one is
 * named, not skipped silently.
 */
export function printProcessProfiles(processes: readonly { name: string; dir: string }[], units: { count: number; label: string }, top: number): void {
  for (const { name, dir } of processes) {
    const file = readdirSync(dir).find((entry) => entry.endsWith('.cpuprofile'));
    if (!file) {
      console.log(`\n${name}: no .cpuprofile in ${dir}`);
      continue;
    }
    const summary = summarizeCpuProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    const perUnit = summary.busyMs / Math.max(1, units.count);
    console.log(`\n### ${name}: ${summary.busyMs.toFixed(0)} ms busy, ${perUnit.toFixed(2)} ms per ${units.label} (start-up included)\n`);
    console.log(renderProfileTable(summary.entries.slice(0, top)));
  }
}
