import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ShippingConnector } from '@crossdock/connectors';
import { loadTypeDefs, startBackendSubgraph, type BackendSubgraphOptions, type RunningService } from '@crossdock/service';
import type { GraphQLSchema } from 'graphql';
import { createShippingContext } from './context';
import { resolvers } from './resolvers';

/** The shipping subgraph's executable schema, from its one SDL file. */
export function buildShippingSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** How to run the shipping subgraph; index.ts fills it from the environment, tests pass their own. */
export type ShippingSubgraphOptions = BackendSubgraphOptions<ShippingConnector>;

/** Starts the shipping subgraph on node:http: POST /graphql, /health, /ready. */
export function startShippingSubgraph(options: ShippingSubgraphOptions): Promise<RunningService> {
  return startBackendSubgraph(
    {
      name: 'shipping',
      schema: buildShippingSchema(),
      createContext: createShippingContext,
      // A lookup of an id that never exists: cheap, and proves the carrier answers.
      probe: (carrier) => carrier.shipmentsByIds(['readiness-probe']),
      // Operators know this backend as the carrier; /ready has always named it so.
      readinessCheck: 'carrier',
    },
    options,
  );
}
