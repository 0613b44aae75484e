import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { AuthError, IDENTITY_HEADER, identityVerifier, type Identity } from '@crossdock/auth';
import { GraphQLError, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { degradedAnswersPlugin } from './degraded-report';
import { graphqlHandler } from './graphql-handler';
import { startHttpService, type ListenOptions, type ReadinessReport, type Route, type RunningService } from './http-service';
import { REQUEST_SCOPE_HEADER, RequestScopes } from './request-scopes';
import { serveSubscriptions } from './subscription-server';

/** Reads a subgraph's one SDL file: the server, codegen and supergraph.yaml all read the same file. */
export function loadTypeDefs(path: string): DocumentNode {
  return parse(readFileSync(path, 'utf8'));
}

export interface SubgraphServiceOptions<C extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  /** Per-request context: fresh DataLoaders for every request, and the caller's identity. */
  createContext: (identity: Identity | null) => C;
  /**
   * HUB_SUBGRAPH_SECRET: requests without the gateway's valid signed identity header are refused
   * with 401. Null only in all-in-one demos and in-process tests.
   */
  subgraphSecret: string | null;
  logger: Logger;
  readiness?: () => Promise<ReadinessReport>;
  /**
   * Dependencies /ready shows without becoming unready over them, e.g. `{ snapshots: "down: …" }`:
   * with the snapshot store down, live answers still flow, so the service stays in rotation.
   */
  readinessDetail?: () => Record<string, unknown>;
  onClose?: () => Promise<void>;
  /** More HTTP routes beside /graphql, e.g. the WMS's inventory drift report for operators. */
  routes?: readonly Route[];
  /** Stack traces in error responses; only for local development. */
  development?: boolean;
}

/** The Apollo Server a subgraph runs, shared by the HTTP service and in-process tests. */
export function createSubgraphServer<C extends BaseContext>(schema: GraphQLSchema, development = false): ApolloServer<C> {
  return new ApolloServer<C>({
    schema,
    includeStacktraceInErrorResponses: development,
    // The gateway plans against the composed supergraph; a subgraph serves no landing page.
    introspection: development,
    // No Apollo usage reporting here: federated traces would cost work on every request. Answers
    // served from the fallback cache say so in extensions.degraded, for the gateway to report.
    // No cache-control hints either: no subgraph schema sets any, every answer was `no-store`, and
    // the plugin wraps every field resolver to compute that. The gateway reads a missing header
    // as max-age 0, exactly what `no-store` told it.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), degradedAnswersPlugin()],
    allowBatchedHttpRequests: true,
  });
}

/** Starts a subgraph on node:http: POST /graphql, /health, /ready, and its subscriptions over graphql-ws at /graphql. */
export async function startSubgraphService<C extends BaseContext>(
  options: SubgraphServiceOptions<C>,
  listen: ListenOptions,
): Promise<RunningService> {
  const server = createSubgraphServer<C>(options.schema, options.development);
  await server.start();
  const verifyIdentity = options.subgraphSecret === null ? null : identityVerifier(options.subgraphSecret);
  const identityOf = (header: string | undefined): Identity | null => {
    if (verifyIdentity === null) return null;
    try {
      return verifyIdentity(header);
    } catch (error) {
      const message = error instanceof AuthError ? error.message : 'identity header rejected';
      throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
  };
  // The fetches of one client query share one context, so their DataLoaders ask the backend once.
  const scopes = new RequestScopes<C>();
  const contextOf = (req: IncomingMessage): C => {
    const header = firstHeader(req, IDENTITY_HEADER);
    // Every fetch proves it came from the gateway, also one that joins a scope.
    const identity = identityOf(header);
    // Without a secret nobody is told apart (identity is null): the request name alone is the scope.
    return scopes.contextFor(firstHeader(req, REQUEST_SCOPE_HEADER), header ?? '', () => options.createContext(identity));
  };
  const service = await startHttpService(
    {
      name: options.name,
      logger: options.logger,
      routes: [
        {
          methods: ['GET', 'POST'],
          path: '/graphql',
          handler: graphqlHandler<C>({ server, context: async (req) => contextOf(req) }),
        },
        ...(options.routes ?? []),
      ],
      readiness: async () => {
        const report = options.readiness ? await options.readiness() : { ready: true, checks: {} };
        return { ...report, checks: { ...report.checks, ...options.readinessDetail?.() } };
      },
      onClose: async () => {
        await server.stop();
        await options.onClose?.();
      },
    },
    listen,
  );
  // Subscriptions over graphql-ws on the same port and path; a schema without any serves none.
  const subscriptions = options.schema.getSubscriptionType()
    ? serveSubscriptions(service.server, {
        schema: options.schema,
        subgraphSecret: options.subgraphSecret,
        createContext: options.createContext,
        logger: options.logger,
        development: options.development ?? false,
      })
    : null;
  return {
    ...service,
    // Sockets first: an upgraded connection would keep the HTTP server from closing.
    close: async () => {
      await subscriptions?.close();
      await service.close();
    },
  };
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
