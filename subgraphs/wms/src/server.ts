import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { WmsConnector } from '@crossdock/connectors';
import { loadTypeDefs, rateLimitedAlarm, startBackendSubgraph, type BackendSubgraphOptions, type RunningService } from '@crossdock/service';
import { startFallbackCache, type SnapshotOptions } from '@crossdock/snapshots';
import type { GraphQLSchema } from 'graphql';
import { createWmsContext, type PendingReservations } from './context';
import { resolvers } from './resolvers';

/** The WMS subgraph's executable schema: its one SDL file plus the resolvers. */
/** Its warehouses, a handful of rows: the cheapest call that proves the WMS answers. */
export const wmsProbe = (wms: WmsConnector) => wms.listWarehouses();

export function buildWmsSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** How to run the WMS subgraph; index.ts fills it from the environment, tests pass their own. */
export interface WmsSubgraphOptions extends BackendSubgraphOptions<WmsConnector> {
  /** The hub's reservations, counted as reserved until the WMS confirms them (null: none). */
  reservations?: PendingReservations | null;
  /** The fallback cache's store and policy: answers while the WMS is down (null: none). */
  snapshots?: SnapshotOptions | null;
}

/** Starts the WMS subgraph over HTTP: /graphql, /health, and /ready (the WMS answers). */
export async function startWmsSubgraph(options: WmsSubgraphOptions): Promise<RunningService> {
  const snapshots = startFallbackCache(options.snapshots, options.logger);
  const alarm = rateLimitedAlarm(options.logger, 'pending-reservations');
  const stores = {
    pending: options.reservations ?? null,
    onPendingUnavailable: (error: unknown) => alarm('pending reservations unavailable (Redis); positions are served without them', error),
    snapshots,
  };
  try {
    return await startBackendSubgraph(
      {
        name: 'wms',
        schema: buildWmsSchema(),
        createContext: (wms, identity) => createWmsContext(wms, identity, stores),
        // Its warehouses, a handful of rows: the cheapest call that proves the WMS answers.
        probe: wmsProbe,
        ...snapshots?.serviceHooks(),
      },
      options,
    );
  } catch (error) {
    await snapshots?.stop();
    throw error;
  }
}
