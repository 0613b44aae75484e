import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ShippingConnector } from '@crossdock/connectors';
import { loadTypeDefs, startBackendSubgraph, type BackendSubgraphOptions, type RunningService, type SubgraphEvents } from '@crossdock/service';
import { startFallbackCache, type SnapshotOptions } from '@crossdock/snapshots';
import type { GraphQLSchema } from 'graphql';
import { createShippingContext } from './context';
import { resolvers } from './resolvers';
import { startShipmentEvents } from './shipment-events';

/** The shipping subgraph's executable schema, from its one SDL file. */
/** An unknown shipment: the cheapest call that proves the carrier answers. */
export const carrierProbe = (carrier: ShippingConnector) => carrier.shipmentsByIds(['readiness-probe']);

export function buildShippingSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** How to run the shipping subgraph; index.ts fills it from the environment, tests pass their own. */
export interface ShippingSubgraphOptions extends BackendSubgraphOptions<ShippingConnector> {
  /** The fallback cache's store and policy: answers while the carrier is down (null: none). */
  snapshots?: SnapshotOptions | null;
  /**
   * The event bus: tracking notices on POST /webhooks/carrier become shipment events, and
   * shipmentUpdated subscriptions read them (null: neither).
   */
  events?: SubgraphEvents | null;
}

/** Starts the shipping subgraph on node:http: POST /graphql, /health, /ready. */
export async function startShippingSubgraph(options: ShippingSubgraphOptions): Promise<RunningService> {
  const snapshots = startFallbackCache(options.snapshots, options.logger);
  const shipmentEvents = startShipmentEvents(options.events, options.connector, options.logger);
  const closeAll = async () => {
    shipmentEvents.close();
    await snapshots?.stop();
  };
  try {
    return await startBackendSubgraph(
      {
        name: 'shipping',
        schema: buildShippingSchema(),
        createContext: (carrier, identity) => createShippingContext(carrier, identity, { snapshots, shipmentFeed: shipmentEvents.feed }),
        // A lookup of an id that never exists: cheap, and proves the carrier answers.
        probe: carrierProbe,
        // Operators know this backend as the carrier; /ready has always named it so.
        readinessCheck: 'carrier',
        ...snapshots?.serviceHooks(),
        onClose: closeAll,
        routes: shipmentEvents.routes,
      },
      options,
    );
  } catch (error) {
    await closeAll();
    throw error;
  }
}
