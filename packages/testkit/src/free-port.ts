import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port picked; below it are well-known and registered services' ports. */
const LOWEST_PORT = 20_000;

/**
 * Asks for a free TCP port on loopback, for servers that cannot listen on port 0 and report back
 * (redis-server, FerretDB); the tiny window before they bind is acceptable in tests.
 *
 * The port is picked BELOW the kernel's ephemeral range when there is room: fault drills kill
 * such a server and restart it on the same port, and while it is dead an ephemeral port may be
 * handed out as the local port of any outgoing connection on the machine, after which the
 * restart cannot bind ("nothing listened" in full test runs). Services listening on port 0 get
 * ephemeral ports, so they never take these either.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralRangeStart();
  for (let attempt = 0; below - LOWEST_PORT > 1_000 && attempt < 50; attempt++) {
    const candidate = LOWEST_PORT + Math.floor(Math.random() * (below - LOWEST_PORT));
    if (await listensOn(candidate)) return candidate;
  }
  return listenOnAnyPort();
}

/** The first port of the kernel's ephemeral range (Linux), 32768 where it cannot be read. */
function ephemeralRangeStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > 0 ? first : 32_768;
  } catch {
    return 32_768;
  }
}

/** Whether a server could listen on `port` on loopback just now (it is closed again). */
function listensOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function listenOnAnyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Resolves once a TCP connection to host:port succeeds, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on ${host}:${port} within ${timeoutMs} ms`);
}
