import { connect } from 'node:net';

/** Commands a store executed, by command name; deltas of the server's own counters. */
export type CommandCounts = Map<string, number>;

/**
 * Redis's per-command counters (`INFO commandstats`). Redis counts the commands a Lua script
 * runs as well as the script call itself, so the EVALSHA count is the scripts' round trips and
 * the commands that appear only inside scripts are not round trips of their own.
 */
export async function redisCommandCounts(redisUrl: string): Promise<CommandCounts> {
  const counts: CommandCounts = new Map();
  for (const line of (await redisInfo(redisUrl, 'commandstats')).split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match?.[1] && match[2]) counts.set(match[1], Number(match[2]));
  }
  return counts;
}

/** FerretDB's `ferretdb_client_requests_total` by command: one per request a client sent, so round trips. */
export async function ferretDbCommandCounts(debugUrl: string): Promise<CommandCounts> {
  const response = await fetch(`${debugUrl}/debug/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`FerretDB metrics answered HTTP ${response.status}`);
  const counts: CommandCounts = new Map();
  for (const line of (await response.text()).split('\n')) {
    const match = /^ferretdb_client_requests_total\{[^}]*command="([^"]+)"[^}]*\}\s+(\S+)$/.exec(line);
    if (match?.[1] && match[2]) counts.set(match[1], (counts.get(match[1]) ?? 0) + Number(match[2]));
  }
  return counts;
}

/** What the store did per order between two readings: total and by command, largest first. */
export function perOrder(before: CommandCounts, after: CommandCounts, orders: number): { total: number; byCommand: [string, number][] } {
  const byCommand: [string, number][] = [];
  for (const [command, count] of after) {
    const delta = count - (before.get(command) ?? 0);
    if (delta > 0) byCommand.push([command, delta / orders]);
  }
  byCommand.sort(([, a], [, b]) => b - a);
  return { total: byCommand.reduce((sum, [, perOrderCount]) => sum + perOrderCount, 0), byCommand };
}

/** "31.2 (insert 9.0, update 8.1, …)". */
export function describePerOrder({ total, byCommand }: { total: number; byCommand: [string, number][] }): string {
  const parts = byCommand.filter(([, count]) => count >= 0.005).map(([command, count]) => `${command} ${count.toFixed(2)}`);
  return `${total.toFixed(2)}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** Sends one `INFO <section>` over RESP and returns the bulk reply; no client library needed for one command. */
function redisInfo(redisUrl: string, section: string): Promise<string> {
  const url = new URL(redisUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    let received = Buffer.alloc(0);
    socket.setTimeout(5_000, () => socket.destroy(new Error(`Redis INFO ${section}: no answer within 5 s`)));
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`*2\r\n$4\r\nINFO\r\n$${Buffer.byteLength(section)}\r\n${section}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headerEnd = received.indexOf('\r\n');
      if (headerEnd < 0) return;
      const header = received.subarray(0, headerEnd).toString('utf8');
      if (!header.startsWith('$')) {
        socket.destroy();
        reject(new Error(`Redis INFO ${section} answered ${header}`));
        return;
      }
      const length = Number(header.slice(1));
      if (received.length < headerEnd + 2 + length) return;
      socket.end();
      resolve(received.subarray(headerEnd + 2, headerEnd + 2 + length).toString('utf8'));
    });
  });
}
