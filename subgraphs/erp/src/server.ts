import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ErpConnector } from '@crossdock/connectors';
import type { OrderStore } from '@crossdock/orders';
import { loadTypeDefs, startBackendSubgraph, type BackendSubgraphOptions, type RunningService } from '@crossdock/service';
import type { GraphQLSchema } from 'graphql';
import { createErpContext } from './context';
import { resolvers } from './resolvers';

/** The ERP subgraph's executable schema: its one SDL file plus the resolvers. */
export function buildErpSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** How to run the ERP subgraph; index.ts fills it from the environment, tests pass their own. */
export interface ErpSubgraphOptions extends BackendSubgraphOptions<ErpConnector> {
  /** The hub's order store, for the posting state of orders the hub captured (null: none). */
  orders?: OrderStore | null;
}

/** Starts the ERP subgraph over HTTP: /graphql, /health, and /ready (the ERP answers). */
export function startErpSubgraph(options: ErpSubgraphOptions): Promise<RunningService> {
  return startBackendSubgraph(
    {
      name: 'erp',
      schema: buildErpSchema(),
      createContext: (erp, identity) => createErpContext(erp, identity, options.orders ?? null),
      // One product: the cheapest call that proves the ERP answers.
      probe: (erp) => erp.listProducts({ first: 1 }),
    },
    options,
  );
}
