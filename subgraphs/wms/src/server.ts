import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { WmsConnector } from '@crossdock/connectors';
import { loadTypeDefs, startSubgraphService, type Logger, type ReadinessReport, type RunningService } from '@crossdock/service';
import type { GraphQLSchema } from 'graphql';
import { createWmsContext, type WmsContext } from './context';
import { resolvers } from './resolvers';

/** /ready must answer quickly even when the WMS hangs; the gateway polls it. */
const READINESS_TIMEOUT_MS = 1_000;

/** The WMS subgraph's executable schema: its one SDL file plus the resolvers. */
export function buildWmsSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** How to run the WMS subgraph; index.ts fills it from the environment, tests pass their own. */
export interface WmsSubgraphOptions {
  port: number;
  host?: string;
  connector: WmsConnector;
  /** HUB_SUBGRAPH_SECRET; null only for all-in-one demos, where the gateway is in the same process tree. */
  subgraphSecret: string | null;
  logger: Logger;
  /** Stack traces and introspection, for local development only. */
  development?: boolean;
}

/** Starts the WMS subgraph over HTTP: /graphql, /health, and /ready (the WMS answers). */
export function startWmsSubgraph(options: WmsSubgraphOptions): Promise<RunningService> {
  const { connector } = options;
  return startSubgraphService<WmsContext>(
    {
      name: 'wms',
      schema: buildWmsSchema(),
      createContext: (identity) => createWmsContext(connector, identity),
      subgraphSecret: options.subgraphSecret,
      logger: options.logger,
      readiness: () => wmsReadiness(connector),
      development: options.development ?? false,
    },
    { port: options.port, ...(options.host === undefined ? {} : { host: options.host }) },
  );
}

/** Asks the WMS for its warehouses: a handful of rows, the cheapest call that proves it answers. */
async function wmsReadiness(connector: WmsConnector): Promise<ReadinessReport> {
  const timeout = AbortSignal.timeout(READINESS_TIMEOUT_MS);
  try {
    await Promise.race([
      connector.listWarehouses(),
      new Promise<never>((_resolve, reject) => {
        timeout.addEventListener('abort', () => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)));
      }),
    ]);
    return { ready: true, checks: { wms: 'up' } };
  } catch (error) {
    return { ready: false, checks: { wms: `down (${error instanceof Error ? error.message : 'unreachable'})` } };
  }
}
