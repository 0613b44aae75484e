import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultSwitch } from './fault-switch';
import { HttpError, Router, type SimReply } from './http-kit';

/** Options every simulator accepts. */
export interface SimulatorOptions {
  /** 0 picks a free port; read it back from the result. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Added to every non-admin request, so demos feel like a real network. Default 0. */
  latencyMs?: number;
}

/** A started simulator. */
export interface RunningSimulator {
  port: number;
  url: string;
  close(): Promise<void>;
}

interface SimServerSpec extends SimulatorOptions {
  /** Name in logs, e.g. "sim-erp". */
  name: string;
  /** The backend's own API. */
  routes: Router;
  /** Admin routes beyond the shared ones (fault, stats, reset). */
  admin?: Router;
  /** Renders an error body in the backend's own style. */
  formatError(status: number, code: string, message: string): unknown;
  /** Restores the seeded world. */
  reset(): void;
  onClose?(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

/**
 * Runs one simulator: the shared admin surface (fault switch, request statistics, reset), base
 * latency, and the backend's routes. Only non-admin requests are counted and faulted, so tests
 * and operators can always see and heal a broken backend.
 */
export async function startSimServer(spec: SimServerSpec): Promise<RunningSimulator> {
  const fault = new FaultSwitch();
  // Lets close() cut short requests still sleeping in `slow` mode.
  const closing = new AbortController();
  let stats = new Map<string, number>();
  // Which open connections last carried a backend (non-admin) request: `down` drops those at once.
  const connections = new Map<Socket, boolean>();
  const dropBackendConnections = (): void => {
    for (const [socket, backend] of connections) if (backend) socket.resetAndDestroy();
  };
  const admin = new Router()
    .on('GET', '/_admin/fault', () => ({ body: fault.settings }))
    .on('POST', '/_admin/fault', (req) => {
      const settings = fault.apply(req.body);
      if (settings.mode === 'down') dropBackendConnections();
      return { body: settings };
    })
    .on('GET', '/_admin/stats', () => ({ body: { requests: Object.fromEntries(stats), total: sum(stats.values()) } }))
    .on('POST', '/_admin/stats/reset', () => {
      stats = new Map();
      return { body: { ok: true } };
    })
    .on('POST', '/_admin/reset', () => {
      spec.reset();
      return { body: { ok: true } };
    });
  const adminError = (_status: number, code: string, message: string): unknown => ({ error: code, message });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
    const method = req.method ?? 'GET';
    const isAdmin = path.startsWith('/_admin/');
    if (!connections.has(req.socket)) req.socket.once('close', () => connections.delete(req.socket));
    connections.set(req.socket, !isAdmin);
    if (isAdmin) {
      const own = admin.match(method, path);
      const match = own.kind === 'none' && spec.admin ? spec.admin.match(method, path) : own;
      await dispatch(req, res, match, method, path, query, adminError);
      return;
    }
    const match = spec.routes.match(method, path);
    const key = `${method} ${match.kind === 'found' ? match.pattern : '(unmatched)'}`;
    stats.set(key, (stats.get(key) ?? 0) + 1);
    if (fault.dropsConnections) {
      // What a crashed backend looks like from outside: the connection dies, no HTTP answer.
      req.socket.resetAndDestroy();
      return;
    }
    const delay = (spec.latencyMs ?? 0) + fault.extraLatencyMs;
    if (delay > 0) {
      const slept = await sleep(delay, true, { signal: closing.signal }).catch(() => false);
      if (!slept) return;
    }
    if (fault.shouldFail()) {
      send(res, { status: 500, body: spec.formatError(500, 'internal_error', 'simulated failure (fault switch)') });
      return;
    }
    await dispatch(req, res, match, method, path, query, spec.formatError);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that timed out while `slow` held its request leaves a body that cannot be read:
      // nobody is left to answer, and nothing went wrong in the simulator.
      if (req.socket.destroyed) return;
      console.error(`${spec.name}: handler failed`, error);
      send(res, { status: 500, body: spec.formatError(500, 'internal_error', 'unexpected simulator failure') });
    });
  });
  const host = spec.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(spec.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    url: `http://${urlHost(host)}:${port}`,
    async close() {
      closing.abort();
      await spec.onClose?.();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would otherwise hold close() open for seconds.
        server.closeAllConnections();
      });
    },
  };
}

async function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  match: ReturnType<Router['match']>,
  method: string,
  path: string,
  query: URLSearchParams,
  formatError: SimServerSpec['formatError'],
): Promise<void> {
  try {
    if (match.kind === 'none') throw new HttpError(404, 'not_found', `no route for ${method} ${path}`);
    if (match.kind === 'wrong-method') {
      throw new HttpError(405, 'method_not_allowed', `${path} accepts ${match.allowed.join(', ')}, not ${method}`);
    }
    const body = method === 'POST' ? await readJson(req) : undefined;
    send(res, await match.handler({ method, path, query, params: match.params, body, host: req.headers.host ?? 'localhost' }));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    send(res, { status: error.status, body: formatError(error.status, error.code, error.message) });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body_too_large', `the body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

function send(res: ServerResponse, reply: SimReply): void {
  // The client may have timed out and gone while we slept; nothing left to answer.
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
