import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createTokenVerifier } from '@crossdock/auth';
import { startHttpService, type Logger, type RunningService } from '@crossdock/service';
import { ScopeEnforcingGateway, supergraphForExecution } from './authorization';
import type { GatewayConfig } from './config';
import { contextFactory, type GatewayContext } from './context';
import { degradedAnswersPlugin } from './degraded-answers';
import { deprecatedUsagePlugin } from './deprecated-usage';
import { limitsServerOptions, openClientAdmission, type GatewayLimitsOptions } from './limits/gateway-limits';
import { gatedGraphqlHandler } from './limits/request-gate';
import { checkSubgraphs, type SubgraphEndpoint } from './readiness';
import { SignedDataSource } from './signed-data-source';
import { createUndiciFetcher } from './undici-fetcher';

export interface GatewayOptions extends Omit<GatewayConfig, 'port' | 'host' | keyof GatewayLimitsOptions>, GatewayLimitsOptions {
  logger: Logger;
}

export interface Gateway {
  server: ApolloServer<GatewayContext>;
  subgraphs: readonly SubgraphEndpoint[];
  /** The scope check every operation passes before it is planned (also for subscriptions). */
  scopes: ScopeEnforcingGateway;
  stop(): Promise<void>;
}

/**
 * Builds the federation gateway over a static supergraph file (whatever graph it describes) and
 * starts its Apollo Server. Pure of env and ports, so tests and the all-in-one hub reuse it.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const supergraphSdl = readFileSync(options.supergraphPath, 'utf8');
  const { fetcher, close } = createUndiciFetcher({ timeoutMs: options.subgraphTimeoutMs });
  const subgraphs: SubgraphEndpoint[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphForExecution(supergraphSdl),
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`subgraph "${name}" has no URL in the supergraph and no SUBGRAPH_URL_${name.toUpperCase()}`);
      subgraphs.push({ name, url: target });
      return new SignedDataSource(target, fetcher, options.subgraphSecret);
    },
  });
  const limits = limitsServerOptions({ ...options, supergraphSdl });
  const scopes = new ScopeEnforcingGateway(gateway);
  const server = new ApolloServer<GatewayContext>({
    gateway: scopes,
    includeStacktraceInErrorResponses: options.development,
    ...limits,
    plugins: [...limits.plugins, degradedAnswersPlugin(), deprecatedUsagePlugin(options.logger)],
  });
  await server.start();
  options.logger.info({ supergraph: options.supergraphPath, subgraphs }, 'supergraph loaded');
  return {
    server,
    subgraphs,
    scopes,
    stop: async () => {
      await server.stop();
      await close();
    },
  };
}

/** Starts the gateway's HTTP service: /graphql, /health, /ready. */
export async function startGateway(options: GatewayOptions, listen: { port: number; host?: string }): Promise<RunningService> {
  const gateway = await createGateway(options);
  const verify = createTokenVerifier(options.jwt);
  const { admission, close: closeAdmission } = await openClientAdmission(options);
  return startHttpService(
    {
      name: 'gateway',
      logger: options.logger,
      routes: [
        {
          methods: ['GET', 'POST'],
          path: '/graphql',
          handler: gatedGraphqlHandler({
            server: gateway.server,
            context: contextFactory(verify, admission),
            maxBodyBytes: (context) => context.client.limits.maxBodyBytes,
          }),
        },
      ],
      readiness: async () => {
        const checks = await checkSubgraphs(gateway.subgraphs);
        return { ready: Object.values(checks).every((c) => c === 'up'), checks: { supergraph: 'loaded', ...checks } };
      },
      onClose: async () => {
        await gateway.stop();
        await closeAdmission();
      },
    },
    listen,
  );
}
export { DEFAULT_SUPERGRAPH_PATH, readGatewayConfig, type GatewayConfig } from './config';
