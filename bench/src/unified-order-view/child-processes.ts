import { readdirSync, readFileSync } from 'node:fs';

/** Entries startHubStack runs besides the gateway, and the name each gets in the notes. */
const HELPER_ENTRIES: Record<string, string> = {
  'simulators/src/main.ts': 'simulators',
  'subgraphs/erp/src/index.ts': 'erp subgraph',
  'subgraphs/wms/src/index.ts': 'wms subgraph',
  'subgraphs/commerce/src/index.ts': 'commerce subgraph',
  'subgraphs/shipping/src/index.ts': 'shipping subgraph',
};

/**
 * The pids of the simulators and subgraphs this process started, by name. startHubStack hands
 * out only the gateway's pid, yet on a small machine the reader must see whether the processes
 * behind the gateway held it back; they are this process's direct children, so /proc finds them.
 */
export function hubHelperPids(): Record<string, number> {
  const found: Record<string, number> = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const name = helperName(Number(entry));
    if (name !== null) found[name] = Number(entry);
  }
  return found;
}

function helperName(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The parent pid is the 2nd field after the parenthesised command name.
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid) return null;
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const entry = args.find((arg) => arg in HELPER_ENTRIES);
    return entry === undefined ? null : (HELPER_ENTRIES[entry] ?? null);
  } catch {
    return null; // gone between the listing and the read, or not ours to read
  }
}
