import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ErpConnector } from '@crossdock/connectors';
import type { OrderStore } from '@crossdock/orders';
import { loadTypeDefs, startBackendSubgraph, type BackendSubgraphOptions, type RunningService } from '@crossdock/service';
import { startFallbackCache, type SnapshotOptions } from '@crossdock/snapshots';
import type { GraphQLSchema } from 'graphql';
import { createErpContext } from './context';
import { resolvers } from './resolvers';

/** The ERP subgraph's executable schema: its one SDL file plus the resolvers. */
/** One product: the cheapest call that proves the ERP answers. */
export const erpProbe = (erp: ErpConnector) => erp.listProducts({ first: 1 });

export function buildErpSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** How to run the ERP subgraph; index.ts fills it from the environment, tests pass their own. */
export interface ErpSubgraphOptions extends BackendSubgraphOptions<ErpConnector> {
  /** The hub's order store, for the posting state of orders the hub captured (null: none). */
  orders?: OrderStore | null;
  /** The fallback cache's store and policy: answers while the ERP is down (null: none). */
  snapshots?: SnapshotOptions | null;
}

/** Starts the ERP subgraph over HTTP: /graphql, /health, and /ready (the ERP answers). */
export async function startErpSubgraph(options: ErpSubgraphOptions): Promise<RunningService> {
  const snapshots = startFallbackCache(options.snapshots, options.logger);
  try {
    return await startBackendSubgraph(
      {
        name: 'erp',
        schema: buildErpSchema(),
        createContext: (erp, identity) => createErpContext(erp, identity, { orders: options.orders ?? null, snapshots }),
        // One product: the cheapest call that proves the ERP answers.
        probe: erpProbe,
        ...snapshots?.serviceHooks(),
      },
      options,
    );
  } catch (error) {
    await snapshots?.stop();
    throw error;
  }
}
