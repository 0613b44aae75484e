import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ShippingConnector } from '@crossdock/connectors';
import { loadTypeDefs, startSubgraphService, type Logger, type ReadinessReport, type RunningService } from '@crossdock/service';
import type { GraphQLSchema } from 'graphql';
import { createShippingContext } from './context';
import { resolvers } from './resolvers';

/** How long /ready waits for the carrier before it reports the subgraph not ready. */
const READINESS_TIMEOUT_MS = 1_000;

/** The shipping subgraph's executable schema, from its one SDL file. */
export function buildShippingSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

export interface ShippingSubgraphOptions {
  port: number;
  host?: string;
  connector: ShippingConnector;
  /** HUB_SUBGRAPH_SECRET; null only in all-in-one demos and in-process tests. */
  subgraphSecret: string | null;
  logger: Logger;
  /** Stack traces and introspection; local development only. */
  development?: boolean;
}

/** Starts the shipping subgraph on node:http: POST /graphql, /health, /ready. */
export function startShippingSubgraph(options: ShippingSubgraphOptions): Promise<RunningService> {
  return startSubgraphService(
    {
      name: 'shipping',
      schema: buildShippingSchema(),
      createContext: (identity) => createShippingContext(options.connector, identity),
      subgraphSecret: options.subgraphSecret,
      logger: options.logger,
      readiness: () => carrierReadiness(options.connector),
      development: options.development ?? false,
    },
    { port: options.port, ...(options.host === undefined ? {} : { host: options.host }) },
  );
}

/** Ready when the carrier answers a cheap lookup (of an id that never exists). */
async function carrierReadiness(connector: ShippingConnector): Promise<ReadinessReport> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
  });
  try {
    await Promise.race([connector.shipmentsByIds(['readiness-probe']), timeout]);
    return { ready: true, checks: { carrier: 'up' } };
  } catch (error) {
    return { ready: false, checks: { carrier: `down: ${error instanceof Error ? error.message : String(error)}` } };
  } finally {
    clearTimeout(timer);
  }
}
