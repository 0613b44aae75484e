import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { CommerceConnector } from '@crossdock/connectors';
import { loadTypeDefs, startBackendSubgraph, type BackendSubgraphOptions, type RunningService } from '@crossdock/service';
import type { GraphQLSchema } from 'graphql';
import { createCommerceContext } from './context';
import { resolvers } from './resolvers';

/** The commerce subgraph's executable schema, from its one SDL file. */
export function buildCommerceSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** How to run the commerce subgraph; index.ts fills it from the environment, tests pass their own. */
export type CommerceSubgraphOptions = BackendSubgraphOptions<CommerceConnector>;

/** Starts the commerce subgraph on node:http: POST /graphql, /health, /ready. */
export function startCommerceSubgraph(options: CommerceSubgraphOptions): Promise<RunningService> {
  return startBackendSubgraph(
    {
      name: 'commerce',
      schema: buildCommerceSchema(),
      createContext: createCommerceContext,
      // A lookup of an id that never exists: cheap, and proves the platform answers.
      probe: (commerce) => commerce.ordersByIds(['readiness-probe']),
    },
    options,
  );
}
