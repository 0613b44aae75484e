import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inServerSpan, startTracing } from '@crossdock/telemetry';
import type { Logger } from 'pino';
import { sendJsonError, type RequestHandler } from './graphql-handler';
import { installTelemetryHooks, metricsRoute } from './telemetry-hooks';

export interface Route {
  /** Allowed methods; any when omitted. */
  methods?: readonly string[];
  path: string;
  /** Match every path below `path` too (e.g. "/webhooks/"). */
  prefix?: boolean;
  handler: RequestHandler;
}

export interface ReadinessReport {
  ready: boolean;
  /** Per-dependency detail shown on /ready, e.g. `{ erp: "up" }`. */
  checks: Record<string, unknown>;
}

export interface HttpServiceOptions {
  name: string;
  routes: readonly Route[];
  /** Backs /ready; /health always answers 200 while the process lives. */
  readiness?: () => Promise<ReadinessReport>;
  logger: Logger;
  /** Run on close, after the server stopped accepting requests (close connectors, pools). */
  onClose?: () => Promise<void>;
}

export interface ListenOptions {
  port: number;
  host?: string;
}

export interface RunningService {
  name: string;
  port: number;
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Starts a node:http server with the service's routes plus /health, /ready and /metrics (Prometheus). */
export async function startHttpService(options: HttpServiceOptions, listen: ListenOptions): Promise<RunningService> {
  installTelemetryHooks();
  const routes: Route[] = [
    metricsRoute,
    { methods: ['GET'], path: '/health', handler: async (_req, res) => sendJson(res, 200, { status: 'ok', service: options.name }) },
    {
      methods: ['GET'],
      path: '/ready',
      handler: async (_req, res) => {
        const report = options.readiness ? await options.readiness() : { ready: true, checks: {} };
        sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', checks: report.checks });
      },
    },
    ...options.routes,
  ];
  const server = createServer((req, res) => {
    // A server span per request (continuing the caller's traceparent) when tracing is configured.
    inServerSpan(`${req.method ?? 'GET'} ${options.name}`, req.headers, () => dispatch(routes, req, res)).catch((error: unknown) => {
      options.logger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal server error');
      else res.destroy();
    });
  });
  // Keep idle keep-alive sockets longer than clients' pools do, so a pooled socket is never
  // closed by us just as a client reuses it (that surfaces as ECONNRESET on the client).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port; // listen() on TCP always yields AddressInfo
  return {
    name: options.name,
    port,
    url: `http://127.0.0.1:${port}`,
    server,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await options.onClose?.();
    },
  };
}

async function dispatch(routes: readonly Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const route = routes.find((r) => (r.prefix ? path.startsWith(r.path) : path === r.path));
  if (!route) return sendJsonError(res, 404, 'NOT_FOUND', `no route for ${path}`);
  if (route.methods && !route.methods.includes(req.method ?? 'GET')) {
    res.setHeader('allow', route.methods.join(', '));
    return sendJsonError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} not allowed on ${path}`);
  }
  await route.handler(req, res);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/**
 * Prints the one stdout line that launchers and tests wait for: `{"service":"erp","port":4001}`.
 * Services listen on port 0 in tests, so this is how the caller learns the real port.
 */
export function reportListening(service: string, port: number): void {
  process.stdout.write(`${JSON.stringify({ service, port })}\n`);
}

/**
 * Runs a service's main function: a failure to start is logged and exits non-zero; SIGTERM and
 * SIGINT close the service gracefully.
 */
export function runMain(name: string, main: () => Promise<{ close(): Promise<void> }>): void {
  // Tracing and metrics hooks come before anything else, so that every span has its provider and
  // every circuit breaker the main builds is watched; without an OTLP endpoint tracing registers
  // nothing, loads nothing and costs nothing.
  const started = Promise.resolve().then(async () => {
    installTelemetryHooks();
    const tracing = await startTracing({ serviceName: name, otlpEndpoint: readOtlpEndpoint() });
    return { tracing, service: await main() };
  });
  started.then(
    ({ tracing, service }) => {
      const stop = () => {
        service.close().then(() => tracing.shutdown()).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      console.error(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

/** OTEL_EXPORTER_OTLP_ENDPOINT, the collector's base URL (the OpenTelemetry convention); null when unset. */
function readOtlpEndpoint(env: NodeJS.ProcessEnv = process.env): string | null {
  const value = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!value) return null;
  try {
    return new URL(value).toString();
  } catch {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT must be a URL such as http://collector:4318, got ${JSON.stringify(value)}`);
  }
}
