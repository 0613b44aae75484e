import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { positionAtp, startAvailabilityRunner, type AvailabilityRunner } from '@crossdock/availability';
import type { WmsConnector } from '@crossdock/connectors';
import { observeExceptions, type ExceptionStore } from '@crossdock/exceptions';
import { loadTypeDefs, rateLimitedAlarm, startBackendSubgraph, type BackendSubgraphOptions, type RunningService, type SubgraphEvents } from '@crossdock/service';
import { startFallbackCache, type SnapshotOptions } from '@crossdock/snapshots';
import { countException } from '@crossdock/telemetry';
import type { GraphQLSchema } from 'graphql';
import type { WmsAvailabilityOptions } from './availability-config';
import { createWmsContext, type PendingReservations, type WmsStores } from './context';
import { startInventoryEvents } from './inventory-events';
import type { DriftConfig } from './inventory-drift/drift-config';
import { driftRoutes } from './inventory-drift/drift-routes';
import { InventoryReconciliation, type HubStockView } from './inventory-drift/inventory-reconciliation';
import { resolvers } from './resolvers';

export { readDriftConfig, type DriftConfig } from './inventory-drift/drift-config';
export { connectAvailability, readAvailabilityConfig, type AvailabilityConfig, type AvailabilityWiring, type WmsAvailabilityOptions } from './availability-config';
export type { DriftReport, DriftPosition } from './inventory-drift/drift-report';

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
  /**
   * The inventory drift reconciliation: the hub's ledger to compare with the WMS, where drift
   * past the threshold is recorded, and how often it runs (null: none; no /ops/drift).
   */
  reconciliation?: (DriftConfig & { hub: HubStockView; exceptions: ExceptionStore | null }) | null;
  /**
   * The event bus: stock-movement notices on POST /webhooks/wms become inventory events, and
   * inventoryChanged subscriptions read them (null: neither).
   */
  events?: SubgraphEvents | null;
  /**
   * The available-to-sell feeds (connectAvailability builds this): channel rules and their folder,
   * where figures and acknowledgements are kept, where connectors find their URLs, the lease that
   * makes one replica push; ATP changes on the event bus are pushed to every channel (null: none;
   * Product.availableToSell answers empty).
   */
  availability?: WmsAvailabilityOptions | null;
}

/** Starts the WMS subgraph over HTTP: /graphql, /health, and /ready (the WMS answers). */
export async function startWmsSubgraph(options: WmsSubgraphOptions): Promise<RunningService> {
  const snapshots = startFallbackCache(options.snapshots, options.logger);
  const inventoryEvents = startInventoryEvents(options.events, options.logger);
  const alarm = rateLimitedAlarm(options.logger, 'pending-reservations');
  const stores: WmsStores = {
    pending: options.reservations ?? null,
    onPendingUnavailable: (error: unknown) => alarm('pending reservations unavailable (Redis); positions are served without them', error),
    snapshots,
    inventoryFeed: inventoryEvents.feed,
  };
  const reconciliation = startReconciliation(options);
  let availability: AvailabilityRunner | null = null;
  const closeAll = async () => {
    await availability?.stop();
    inventoryEvents.close();
    await reconciliation?.stop();
    await snapshots?.stop();
  };
  try {
    availability = await startAvailability(options);
    stores.availability = availability;
    return await startBackendSubgraph(
      {
        name: 'wms',
        schema: buildWmsSchema(),
        createContext: (wms, identity) => createWmsContext(wms, identity, stores),
        // Its warehouses, a handful of rows: the cheapest call that proves the WMS answers.
        probe: wmsProbe,
        ...snapshots?.serviceHooks(),
        onClose: closeAll,
        routes: [...(reconciliation ? driftRoutes(reconciliation, options.subgraphSecret) : []), ...inventoryEvents.routes],
      },
      options,
    );
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * The available-to-sell feeds over the WMS's positions and the hub's pending reservations, when
 * configured: run on the replica holding their lease, with rules reloaded when their files change.
 */
async function startAvailability(options: WmsSubgraphOptions): Promise<AvailabilityRunner | null> {
  const config = options.availability;
  if (!config) return null;
  const pending = options.reservations;
  return startAvailabilityRunner({
    rules: config.rules,
    rulesDir: config.rulesDir,
    lease: config.lease,
    board: config.board,
    sources: config.sources,
    atp: positionAtp({ positions: (skus) => options.connector.positionsBySkus(skus), pending: pending ? (skus) => pending.pendingBySku(skus) : null }),
    store: config.store,
    exceptions: config.exceptions,
    environment: { env: config.env, partnersDir: config.partnersDir },
    streams: options.events?.streams ?? null,
    catalog: config.catalog,
    coalesceMs: config.coalesceMs,
    log: (message, error) => options.logger.error({ err: error }, message),
    notice: (message) => options.logger.warn(message),
  });
}

/** The reconciliation, started, when configured; its drift exceptions are counted in metrics. */
function startReconciliation(options: WmsSubgraphOptions): InventoryReconciliation | null {
  const config = options.reconciliation;
  if (!config) return null;
  if (config.exceptions) observeExceptions((exception) => countException(exception.kind, exception.channel, exception.warehouseId));
  const reconciliation = new InventoryReconciliation({ ...config, wms: options.connector, logger: options.logger });
  reconciliation.start();
  return reconciliation;
}
