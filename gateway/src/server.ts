import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createTokenVerifier } from '@crossdock/auth';
import { RedisWebhookQueue, watchStoreChannelFiles, WebhookReception, type ConfigFolderWatch, type WebhookQueue } from '@crossdock/channels/webhook-door';
import { REQUEST_SCOPE_HEADER, startHttpService, type Logger, type RunningService } from '@crossdock/service';
import { ScopeEnforcingGateway, supergraphForExecution } from './authorization';
import { coalescingResponder, deduplicatingFetcher, type InflightCoalescer, type SerializedAnswer } from './coalescing';
import type { GatewayConfig } from './config';
import { contextFactory, type GatewayContext } from './context';
import { degradedAnswersPlugin } from './degraded-answers';
import { deprecatedUsagePlugin } from './deprecated-usage';
import { ungovernedContextFactory, ungovernedServerOptions, warnUngoverned } from './governance/governance-switch';
import { limitsServerOptions, openClientAdmission, type GatewayLimitsOptions } from './limits/gateway-limits';
import { gatedGraphqlHandler } from './limits/request-gate';
import { refusalTelemetry, requestTelemetryPlugin } from './observability/request-telemetry';
import { opsRoutes } from './ops/ops-routes';
import { intakeRoutes } from './intake-routes';
import { checkSubgraphs, type SubgraphEndpoint } from './readiness';
import { SignedDataSource } from './signed-data-source';
import { attachSubscriptionServer, type SubscriptionServer } from './subscriptions/subscription-server';
import { createUndiciFetcher } from './undici-fetcher';
import { batchingFetcher } from './batching-fetcher';
import { useResultShaping } from './result-shaping';

export interface GatewayOptions extends Omit<GatewayConfig, 'port' | 'host' | keyof GatewayLimitsOptions>, GatewayLimitsOptions {
  logger: Logger;
}

export interface Gateway {
  server: ApolloServer<GatewayContext>;
  subgraphs: readonly SubgraphEndpoint[];
  /** The scope check every operation passes before it is planned (also for subscriptions). */
  scopes: ScopeEnforcingGateway;
  /** The supergraph SDL as executed, and the data sources by subgraph name (subscriptions plan and fetch with them). */
  executedSupergraphSdl: string;
  dataSources: Readonly<Record<string, SignedDataSource>>;
  stop(): Promise<void>;
}

/**
 * Builds the federation gateway over a static supergraph file (whatever graph it describes) and
 * starts its Apollo Server. Pure of ports, and of the environment but for the one variable
 * @apollo/gateway reads itself (APOLLO_TELEMETRY_DISABLED, from the options), so tests and the
 * all-in-one hub reuse it.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const supergraphSdl = readFileSync(options.supergraphPath, 'utf8');
  const undici = createUndiciFetcher({ timeoutMs: options.subgraphTimeoutMs });
  // Identical subgraph queries in flight at once go out once (coalescing/deduplicating-fetcher.ts).
  const deduplicated = options.subgraphDeduplication === false ? undici.fetcher : deduplicatingFetcher(undici.fetcher, { perFetchHeaders: [REQUEST_SCOPE_HEADER] }).fetcher;
  // A query's fetches to one subgraph in one plan step travel as one request (batching-fetcher.ts).
  // Outside deduplication: a batch's body is an array, which it leaves alone, so a fetch is either
  // batched with its query's others or shared with identical fetches of other queries, not both.
  const fetcher = options.subgraphBatching === false ? deduplicated : batchingFetcher(deduplicated, { batchHeader: REQUEST_SCOPE_HEADER });
  // @apollo/gateway's result shaping, or ours: the same answers (result-shaping.ts).
  useResultShaping(options.resultShaping ?? 'crossdock');
  const subgraphs: SubgraphEndpoint[] = [];
  const dataSources: Record<string, SignedDataSource> = {};
  const executedSupergraphSdl = supergraphForExecution(supergraphSdl);
  // @apollo/gateway decides this from the environment when it is constructed: without it, it
  // probes cloud metadata addresses (169.254.169.254, seconds of timeouts off a cloud) and exports
  // usage metrics to Apollo hourly and once more at stop.
  process.env.APOLLO_TELEMETRY_DISABLED = options.apolloUsageReporting === true ? 'false' : 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: executedSupergraphSdl,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`subgraph "${name}" has no URL in the supergraph and no SUBGRAPH_URL_${name.toUpperCase()}`);
      subgraphs.push({ name, url: target });
      dataSources[name] = new SignedDataSource(target, fetcher, options.subgraphSecret, name);
      return dataSources[name];
    },
  });
  // Governance off (benchmark only, see governance-switch.ts): no limits, no scope check on /graphql.
  const governed = options.governance !== 'off';
  if (!governed) warnUngoverned(options.logger);
  const limits = governed ? limitsServerOptions({ ...options, supergraphSdl }) : ungovernedServerOptions(options.development);
  const scopes = new ScopeEnforcingGateway(gateway, { enforce: governed });
  const server = new ApolloServer<GatewayContext>({
    gateway: scopes,
    includeStacktraceInErrorResponses: options.development,
    ...limits,
    plugins: [...limits.plugins, degradedAnswersPlugin(), deprecatedUsagePlugin(options.logger), requestTelemetryPlugin(options.logger)],
  });
  await server.start();
  options.logger.info({ supergraph: options.supergraphPath, subgraphs }, 'supergraph loaded');
  return {
    server,
    subgraphs,
    scopes,
    executedSupergraphSdl,
    dataSources,
    stop: async () => {
      await server.stop();
      await undici.close();
    },
  };
}

/** A running gateway: the HTTP service, plus its subscriptions for statistics. */
export interface RunningGateway extends RunningService {
  subscriptions: SubscriptionServer;
  /** Identical in-flight queries answered once (its counts); null with GATEWAY_COALESCING=off. */
  coalescing: Pick<InflightCoalescer<SerializedAnswer | null>, 'counts' | 'size'> | null;
}

/** Starts the gateway's HTTP service: /graphql (HTTP and graphql-ws), /health, /ready. */
export async function startGateway(options: GatewayOptions, listen: { port: number; host?: string }): Promise<RunningGateway> {
  const gateway = await createGateway(options);
  const verify = createTokenVerifier(options.jwt);
  const { admission, close: closeAdmission } = await openClientAdmission(options);
  const coalescing = options.coalescing === false ? null : coalescingResponder({ server: gateway.server, logger: options.logger });
  const webhooks = await openWebhookDoor(options);
  const service = await startHttpService(
    {
      name: 'gateway',
      logger: options.logger,
      routes: [
        {
          methods: ['GET', 'POST'],
          path: '/graphql',
          handler: gatedGraphqlHandler({
            server: gateway.server,
            context: options.governance === 'off' ? ungovernedContextFactory() : contextFactory(verify, admission),
            maxBodyBytes: (context) => context.client.limits.maxBodyBytes,
            onRefused: refusalTelemetry(options.logger),
            // Identical in-flight queries of callers with the same view run once (coalescing/).
            ...(coalescing ? { respond: coalescing.respond } : {}),
          }),
        },
        // The operations console (/ops) and its JSON, for ops:admin tokens.
        ...opsRoutes({ verify, subgraphs: gateway.subgraphs, subgraphSecret: options.subgraphSecret, logger: options.logger }),
        // Public channel intake (POST /edi/x12, POST /webhooks/...), forwarded to commerce.
        ...intakeRoutes({ subgraphs: gateway.subgraphs, subgraphSecret: options.subgraphSecret, timeoutMs: options.subgraphTimeoutMs, webhooks: webhooks?.reception ?? null }),
      ],
      readiness: async () => {
        const checks = await checkSubgraphs(gateway.subgraphs);
        return { ready: Object.values(checks).every((c) => c === 'up'), checks: { supergraph: 'loaded', ...checks } };
      },
      onClose: async () => {
        await gateway.stop();
        await closeAdmission();
        webhooks?.files?.close();
        await webhooks?.queue.close();
      },
    },
    listen,
  );
  const subscriptions = attachSubscriptionServer(service.server, {
    ...options,
    supergraphSdl: gateway.executedSupergraphSdl,
    dataSources: gateway.dataSources,
    subgraphUrls: new Map(gateway.subgraphs.map((s) => [s.name, s.url])),
    verify,
    admission,
    scopes: () => gateway.scopes.scopes,
    ...(options.subscriptionBufferBytes === undefined ? {} : { maxBufferedBytes: options.subscriptionBufferBytes }),
    ...(options.subscriptionHeartbeatMs === undefined ? {} : { heartbeatMs: options.subscriptionHeartbeatMs }),
    ...(options.subscriptionMaxBacklog === undefined ? {} : { maxBacklog: options.subscriptionMaxBacklog }),
  });
  let closing: Promise<void> | null = null;
  return {
    ...service,
    subscriptions,
    coalescing: coalescing?.coalescer ?? null,
    // Sockets first: the HTTP server's close waits for every connection, WebSockets included.
    close: () =>
      (closing ??= (async () => {
        await subscriptions.close();
        await service.close();
      })()),
  };
}
/**
 * The webhook door, when the gateway has a store channel's secret and a Redis to queue into: its
 * webhooks are then acknowledged here after one Redis write, never waiting on commerce or MongoDB.
 */
async function openWebhookDoor(options: GatewayOptions): Promise<{ reception: WebhookReception; queue: WebhookQueue; files: ConfigFolderWatch | null } | null> {
  const channels = options.webhookChannels;
  if (!channels || !options.redisUrl || (channels.shopify === null && channels.mapped.length === 0)) return null;
  const { logger } = options;
  const queue = await RedisWebhookQueue.connect({ url: options.redisUrl, onConnectionError: (error) => logger.error({ err: error }, 'webhook queue: redis connection error') });
  const served = [...(channels.shopify ? ['shopify'] : []), ...channels.mapped.map((c) => c.name)];
  logger.info({ channels: served }, 'store webhooks verified and queued at the gateway');
  const reception = new WebhookReception(channels, queue);
  // Changed channel files are taken here as in commerce; a channel the door stops serving is forwarded to commerce.
  const files = options.channelConfigDir
    ? watchStoreChannelFiles({ dir: options.channelConfigDir, apply: (changed) => reception.replace(changed), log: ({ level, message, error }) => logger[level]({ err: error }, message) })
    : null;
  return { reception, queue, files };
}

export { DEFAULT_SUPERGRAPH_PATH, readGatewayConfig, type GatewayConfig } from './config';
