import { readdirSync, readFileSync } from 'node:fs';

/** Entries startHubStack runs besides the gateway, and the name each gets in the notes. */
const HELPER_ENTRIES: Record<string, string> = {
  'simulators/src/main.ts': 'simulators',
  'subgraphs/erp/src/index.ts': 'erp subgraph',
  'subgraphs/wms/src/index.ts': 'wms subgraph',
  'subgraphs/commerce/src/index.ts': 'commerce subgraph',
  'subgraphs/shipping/src/index.ts': 'shipping subgraph',
};

/** A direct child of this process as /proc shows it. */
interface ChildProcessInfo {
  pid: number;
  /** The command line, one entry per argument. */
  args: string[];
}

/**
 * The pids of the simulators and subgraphs this process started, by name. startHubStack hands
 * out only the gateway's pid, yet on a small machine the reader must see whether the processes
 * behind the gateway held it back; they are this process's direct children, so /proc finds them.
 */
export function hubHelperPids(): Record<string, number> {
  const found: Record<string, number> = {};
  for (const child of ownChildren()) {
    const entry = child.args.find((arg) => arg in HELPER_ENTRIES);
    const name = entry === undefined ? undefined : HELPER_ENTRIES[entry];
    if (name !== undefined) found[name] = child.pid;
  }
  return found;
}

/** The Redis and FerretDB a hub stack started, found the same way as {@link hubHelperPids}. */
export interface BackingServiceProcesses {
  redis: { pid: number } | null;
  /** `debugUrl` serves FerretDB's Prometheus metrics (`/debug/metrics`), request counters included. */
  ferretDb: { pid: number; debugUrl: string | null } | null;
}

/**
 * The stack's redis-server and FerretDB. startHubStack spawns them from this process and keeps
 * their pids to itself; their CPU belongs in any account of what bounds a write path.
 */
export function backingServiceProcesses(): BackingServiceProcesses {
  const found: BackingServiceProcesses = { redis: null, ferretDb: null };
  for (const child of ownChildren()) {
    const program = child.args[0] ?? '';
    // redis-server rewrites its title to "redis-server 127.0.0.1:<port>", so match the start.
    if (program.startsWith('redis-server')) found.redis = { pid: child.pid };
    if (/(^|\/)ferretdb[^/]*$/.test(program)) {
      const debugAddress = child.args.find((arg) => arg.startsWith('--debug-addr='))?.slice('--debug-addr='.length);
      found.ferretDb = { pid: child.pid, debugUrl: debugAddress ? `http://${debugAddress}` : null };
    }
  }
  return found;
}

function ownChildren(): ChildProcessInfo[] {
  const children: ChildProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The parent pid is the 2nd field after the parenthesised command name.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid) continue;
      children.push({ pid, args: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') });
    } catch {
      // gone between the listing and the read, or not ours to read
    }
  }
  return children;
}
