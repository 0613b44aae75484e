import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ErpConnector } from '@crossdock/connectors';
import { loadTypeDefs, startSubgraphService, type Logger, type ReadinessReport, type RunningService } from '@crossdock/service';
import type { GraphQLSchema } from 'graphql';
import { createErpContext, type ErpContext } from './context';
import { resolvers } from './resolvers';

/** /ready must answer quickly even when the ERP hangs; the gateway polls it. */
const READINESS_TIMEOUT_MS = 1_000;

/** The ERP subgraph's executable schema: its one SDL file plus the resolvers. */
export function buildErpSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** How to run the ERP subgraph; index.ts fills it from the environment, tests pass their own. */
export interface ErpSubgraphOptions {
  port: number;
  host?: string;
  connector: ErpConnector;
  /** HUB_SUBGRAPH_SECRET; null only for all-in-one demos, where the gateway is in the same process tree. */
  subgraphSecret: string | null;
  logger: Logger;
  /** Stack traces and introspection, for local development only. */
  development?: boolean;
}

/** Starts the ERP subgraph over HTTP: /graphql, /health, and /ready (the ERP answers). */
export function startErpSubgraph(options: ErpSubgraphOptions): Promise<RunningService> {
  const { connector } = options;
  return startSubgraphService<ErpContext>(
    {
      name: 'erp',
      schema: buildErpSchema(),
      createContext: (identity) => createErpContext(connector, identity),
      subgraphSecret: options.subgraphSecret,
      logger: options.logger,
      readiness: () => erpReadiness(connector),
      development: options.development ?? false,
    },
    { port: options.port, ...(options.host === undefined ? {} : { host: options.host }) },
  );
}

/** Asks the ERP for one product: the cheapest call that proves it answers. */
async function erpReadiness(connector: ErpConnector): Promise<ReadinessReport> {
  const timeout = AbortSignal.timeout(READINESS_TIMEOUT_MS);
  try {
    await Promise.race([
      connector.listProducts({ first: 1 }),
      new Promise<never>((_resolve, reject) => {
        timeout.addEventListener('abort', () => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)));
      }),
    ]);
    return { ready: true, checks: { erp: 'up' } };
  } catch (error) {
    return { ready: false, checks: { erp: `down (${error instanceof Error ? error.message : 'unreachable'})` } };
  }
}
