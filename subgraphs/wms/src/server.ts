import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { WmsConnector } from '@crossdock/connectors';
import { loadTypeDefs, startBackendSubgraph, type BackendSubgraphOptions, type RunningService } from '@crossdock/service';
import type { GraphQLSchema } from 'graphql';
import { createWmsContext, type PendingReservations } from './context';
import { resolvers } from './resolvers';

/** The WMS subgraph's executable schema: its one SDL file plus the resolvers. */
export function buildWmsSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** How to run the WMS subgraph; index.ts fills it from the environment, tests pass their own. */
export interface WmsSubgraphOptions extends BackendSubgraphOptions<WmsConnector> {
  /** The hub's reservations, counted as reserved until the WMS confirms them (null: none). */
  reservations?: PendingReservations | null;
}

/** Starts the WMS subgraph over HTTP: /graphql, /health, and /ready (the WMS answers). */
export function startWmsSubgraph(options: WmsSubgraphOptions): Promise<RunningService> {
  return startBackendSubgraph(
    {
      name: 'wms',
      schema: buildWmsSchema(),
      createContext: (wms, identity) => createWmsContext(wms, identity, options.reservations ?? null),
      // Its warehouses, a handful of rows: the cheapest call that proves the WMS answers.
      probe: (wms) => wms.listWarehouses(),
    },
    options,
  );
}
