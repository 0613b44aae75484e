/**
 * The subscription benchmark's clients, in a process of their own: N graphql-ws clients (one
 * socket each, per-message deflate off) that subscribe through a gateway and time every event
 * from its `emittedAt` to its arrival. Controlled over HTTP by the suite; prints
 * `{"service":"subscriber-load","port":<n>}`.
 *
 * POST /connect {url, authorization, count, mode, skusPerSubscriber} → when every socket is acked
 * POST /measure → starts counting, answers `{ startedAt }` (ms); GET /results → what arrived since.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export const EVENT_SELECTION = 'sku onHand emittedAt product { name }';
const BROADCAST = `subscription { inventoryChanged { ${EVENT_SELECTION} } }`;
const FILTERED = `subscription($skus: [ID!]) { inventoryChanged(skus: $skus) { ${EVENT_SELECTION} } }`;

export interface ConnectRequest {
  url: string;
  authorization: string;
  count: number;
  /** broadcast: every client takes every event; filtered: client i takes only its own SKUs. */
  mode: 'broadcast' | 'filtered';
  skusPerSubscriber: number;
}

export interface LoadResults {
  delivered: number;
  measuredSeconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** p99 of the first and the last 10 s of the measurement: growth means falling behind. */
  firstWindowP99Ms: number;
  lastWindowP99Ms: number;
  connectionsLost: number;
  errors: number;
  /** The first error message seen, to tell what the errors were. */
  firstError: string | null;
}

class PlainWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols, { perMessageDeflate: false });
  }
}

const WINDOW_MS = 10_000;

class Measurement {
  private startedAt = 0;
  private measuring = false;
  private windows: number[][] = [];
  delivered = 0;
  connectionsLost = 0;
  errors = 0;
  firstError: string | null = null;

  start(): number {
    this.startedAt = performance.timeOrigin + performance.now();
    this.windows = [];
    this.delivered = 0;
    this.connectionsLost = 0;
    this.errors = 0;
    this.firstError = null;
    this.measuring = true;
    return this.startedAt;
  }

  event(emittedAt: unknown): void {
    if (!this.measuring || typeof emittedAt !== 'number') return;
    const now = performance.timeOrigin + performance.now();
    if (emittedAt < this.startedAt) return; // sent before the measurement
    const window = Math.floor((now - this.startedAt) / WINDOW_MS);
    (this.windows[window] ??= []).push(now - emittedAt);
    this.delivered += 1;
  }

  error(message: string): void {
    if (!this.measuring) return;
    this.errors += 1;
    this.firstError ??= message;
  }

  results(): LoadResults {
    const measuredSeconds = (performance.timeOrigin + performance.now() - this.startedAt) / 1000;
    const filled = this.windows.filter((w) => w && w.length > 0);
    const all = filled.flat().sort((a, b) => a - b);
    return {
      delivered: this.delivered,
      measuredSeconds,
      latencyP50Ms: quantile(all, 0.5),
      latencyP99Ms: quantile(all, 0.99),
      firstWindowP99Ms: quantile([...(filled[0] ?? [])].sort((a, b) => a - b), 0.99),
      lastWindowP99Ms: quantile([...(filled[filled.length - 1] ?? [])].sort((a, b) => a - b), 0.99),
      connectionsLost: this.connectionsLost,
      errors: this.errors,
      firstError: this.firstError,
    };
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const measurement = new Measurement();
const clients: Client[] = [];
let closing = false;

async function connect(request: ConnectRequest): Promise<void> {
  const batch = 200;
  for (let start = 0; start < request.count; start += batch) {
    const ready: Promise<void>[] = [];
    for (let i = start; i < Math.min(request.count, start + batch); i += 1) ready.push(openClient(request, i));
    await Promise.all(ready);
  }
}

/** Clients whose socket closed before `connection_ack`: the gateway refused or dropped them. */
let notConnected = 0;

function openClient(request: ConnectRequest, index: number): Promise<void> {
  return new Promise((resolve) => {
    let acked = false;
    const client = createClient({
      url: request.url,
      webSocketImpl: PlainWebSocket,
      connectionParams: { authorization: request.authorization },
      lazy: false,
      retryAttempts: 0,
      on: {
        connected: () => {
          acked = true;
          resolve();
        },
        closed: () => {
          if (!acked) {
            notConnected += 1;
            resolve();
          } else if (!closing) measurement.connectionsLost += 1;
        },
      },
    });
    clients.push(client);
    const skus = Array.from({ length: request.skusPerSubscriber }, (_, k) => `SKU-${String(index * request.skusPerSubscriber + k + 1).padStart(5, '0')}`);
    client.subscribe<{ inventoryChanged: { emittedAt: number } }>(
      request.mode === 'broadcast' ? { query: BROADCAST } : { query: FILTERED, variables: { skus } },
      {
        next: (result) => {
          if (result.errors) measurement.error(result.errors[0]?.message ?? 'error without message');
          measurement.event(result.data?.inventoryChanged.emittedAt);
        },
        error: (error: unknown) => {
          measurement.error(Array.isArray(error) ? String(error[0]?.message) : 'subscription ended by the gateway');
        },
        complete: () => undefined,
      },
    );
  });
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.url === '/connect') {
    await connect((await readJson(req)) as ConnectRequest); // the suite sends a ConnectRequest
    return answer(res, 200, { connected: clients.length - notConnected, notConnected });
  }
  if (req.url === '/measure') {
    // When counting began: events emitted before it are not counted (nor expected).
    return answer(res, 200, { startedAt: measurement.start() });
  }
  if (req.url === '/results') return answer(res, 200, measurement.results());
  answer(res, 404, {});
}

if (require.main === module) {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => answer(res, 500, { error: error instanceof Error ? error.message : String(error) }));
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(JSON.stringify({ service: 'subscriber-load', port: typeof address === 'object' && address ? address.port : 0 }));
  });
  const stop = (): void => {
    closing = true;
    for (const client of clients) void client.dispose();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
