import type { ConnectorOptions } from '@crossdock/connectors';
import { RESILIENCE_ENV, resilienceSettingsSchema, resilientConnector } from '@crossdock/resilience';
import { z } from 'zod';
import type { BackendSubgraphOptions } from './backend-subgraph';
import { millisVar, portVar, readNamedConfig, urlVar } from './config';
import { reportListening, runMain, type RunningService } from './http-service';
import { createLogger } from './logger';

/** A connector as a main owns it: closed on shutdown, after the service stopped using it. */
export interface ClosableConnector {
  close(): Promise<void>;
}

export interface SubgraphMainOptions<K extends ClosableConnector> {
  /** The subgraph's name in logs and in the `{"service","port"}` line, e.g. "erp". */
  name: string;
  /** The variable with the port to listen on, e.g. ERP_PORT. */
  portEnv: string;
  defaultPort: number;
  /** The variable with the backend's base URL, e.g. ERP_BACKEND_URL. */
  backendEnv: string;
  defaultBackendUrl: string;
  /**
   * The backend's HTTP connector class, e.g. ErpHttpConnector; the main builds it from the backend
   * URL and BACKEND_TIMEOUT_MS. A class rather than a factory so that the connector's type (which
   * can close) is inferred from it, not from the port type `start` accepts.
   */
  Connector: new (options: ConnectorOptions) => K;
  /**
   * The hub's own stores this subgraph needs (CONTRACT.md: REDIS_URL, MONGO_URL). A subgraph
   * started alone refuses to start when one it needs is unset.
   */
  needs?: { redis?: boolean; mongo?: boolean };
  /**
   * The cheapest call that proves the backend answers (the readiness probe). While the backend's
   * circuit is open it runs in the background, so a recovery is noticed with no traffic.
   */
  probe: (connector: K) => Promise<unknown>;
  /**
   * Starts the subgraph; its server.ts export, e.g. startErpSubgraph. Store URLs are set for the
   * stores named in `needs`; whatever `start` connects it closes in the service's close().
   */
  start: (options: BackendSubgraphOptions<K>, stores: StoreUrls) => Promise<RunningService>;
}

export interface StoreUrls {
  redisUrl: string | null;
  mongoUrl: string | null;
}

/** A store URL the main validated as present because the subgraph declared it needs it. */
export function requireStoreUrl(url: string | null, name: 'REDIS_URL' | 'MONGO_URL'): string {
  if (url === null) throw new Error(`${name} is required by this subgraph but was not configured`);
  return url;
}

function subgraphConfig(options: Pick<SubgraphMainOptions<ClosableConnector>, 'defaultPort' | 'defaultBackendUrl' | 'needs'>) {
  const storeUrl = (needed: boolean | undefined, what: string) =>
    needed
      ? z.string({ error: `is required: this subgraph keeps ${what} there (a service started alone never falls back to memory)` }).min(1)
      : z.string().min(1).optional();
  return z.object({
    redisUrl: storeUrl(options.needs?.redis, 'reservations, idempotency keys and events'),
    mongoUrl: storeUrl(options.needs?.mongo, 'orders, the outbox and snapshots'),
    port: portVar(options.defaultPort),
    backendUrl: urlVar(options.defaultBackendUrl),
    backendTimeoutMs: millisVar(2_000),
    // Started alone, a subgraph is reachable by more than the gateway: refuse to run open.
    subgraphSecret: z
      .string({ error: 'is required: the gateway signs every subgraph request with it, and a subgraph alone must not answer anyone else' })
      .min(16, 'must be at least 16 characters'),
    nodeEnv: z.string().default('production'),
    ...resilienceSettingsSchema.shape,
  });
}

/**
 * A subgraph's whole `index.ts`: reads and validates its configuration, connects to its backend,
 * starts the service, prints the `{"service","port"}` line and, on SIGTERM or SIGINT, closes the
 * service and then the connector. A bad configuration exits non-zero with one line per problem.
 */
export function runSubgraphMain<K extends ClosableConnector>(options: SubgraphMainOptions<K>): void {
  runMain(options.name, async () => {
    const config = readNamedConfig(subgraphConfig(options), {
      port: options.portEnv,
      backendUrl: options.backendEnv,
      backendTimeoutMs: 'BACKEND_TIMEOUT_MS',
      subgraphSecret: 'HUB_SUBGRAPH_SECRET',
      nodeEnv: 'NODE_ENV',
      redisUrl: 'REDIS_URL',
      mongoUrl: 'MONGO_URL',
      ...RESILIENCE_ENV,
    });
    const logger = createLogger(options.name);
    // Every backend call goes through the backend's circuit breaker: an outage fails fast (and is
    // served from the fallback cache) instead of costing each request a timeout.
    const { connector, circuit } = resilientConnector(options.Connector, {
      backend: options.name,
      baseUrl: config.backendUrl,
      timeoutMs: config.backendTimeoutMs,
      failureRate: config.failureRate,
      minimumCalls: config.minimumCalls,
      windowMs: config.windowMs,
      openMs: config.openMs,
      retryReads: config.retryReads,
      probe: options.probe,
      onStateChange: (backend, from, to) => logger.warn({ backend, from, to }, `circuit of ${backend} ${to}`),
    });
    const service = await options.start({
      port: config.port,
      connector,
      circuit,
      subgraphSecret: config.subgraphSecret,
      logger,
      development: config.nodeEnv === 'development',
    }, { redisUrl: config.redisUrl ?? null, mongoUrl: config.mongoUrl ?? null });
    reportListening(options.name, service.port);
    logger.info({ url: `${service.url}/graphql`, port: service.port, backend: config.backendUrl }, `${options.name} subgraph listening`);
    return {
      close: async () => {
        await service.close();
        circuit.stop();
        await connector.close();
      },
    };
  });
}

/** Something a main opened for its service and must close after it (a store, a pool). */
export interface OwnedResource {
  close(): Promise<void>;
}

/**
 * Starts a service that uses resources its main opened: if the start fails they are closed, and
 * the returned service's close() closes them after the service, in reverse order of opening.
 */
export async function startOwning(resources: readonly OwnedResource[], start: () => Promise<RunningService>): Promise<RunningService> {
  const closeResources = async () => {
    for (const resource of [...resources].reverse()) await resource.close();
  };
  const service = await start().catch(async (error: unknown) => {
    await closeResources();
    throw error;
  });
  return {
    ...service,
    close: async () => {
      await service.close();
      await closeResources();
    },
  };
}
