import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { CommerceConnector } from '@crossdock/connectors';
import { loadTypeDefs, startSubgraphService, type Logger, type ReadinessReport, type RunningService } from '@crossdock/service';
import type { GraphQLSchema } from 'graphql';
import { createCommerceContext } from './context';
import { resolvers } from './resolvers';

/** How long /ready waits for the commerce platform before it reports the subgraph not ready. */
const READINESS_TIMEOUT_MS = 1_000;

/** The commerce subgraph's executable schema, from its one SDL file. */
export function buildCommerceSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

export interface CommerceSubgraphOptions {
  port: number;
  host?: string;
  connector: CommerceConnector;
  /** HUB_SUBGRAPH_SECRET; null only in all-in-one demos and in-process tests. */
  subgraphSecret: string | null;
  logger: Logger;
  /** Stack traces and introspection; local development only. */
  development?: boolean;
}

/** Starts the commerce subgraph on node:http: POST /graphql, /health, /ready. */
export function startCommerceSubgraph(options: CommerceSubgraphOptions): Promise<RunningService> {
  return startSubgraphService(
    {
      name: 'commerce',
      schema: buildCommerceSchema(),
      createContext: (identity) => createCommerceContext(options.connector, identity),
      subgraphSecret: options.subgraphSecret,
      logger: options.logger,
      readiness: () => commerceReadiness(options.connector),
      development: options.development ?? false,
    },
    { port: options.port, ...(options.host === undefined ? {} : { host: options.host }) },
  );
}

/** Ready when the commerce platform answers a cheap lookup (of an id that never exists). */
async function commerceReadiness(connector: CommerceConnector): Promise<ReadinessReport> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
  });
  try {
    await Promise.race([connector.ordersByIds(['readiness-probe']), timeout]);
    return { ready: true, checks: { commerce: 'up' } };
  } catch (error) {
    return { ready: false, checks: { commerce: `down: ${error instanceof Error ? error.message : String(error)}` } };
  } finally {
    clearTimeout(timer);
  }
}
