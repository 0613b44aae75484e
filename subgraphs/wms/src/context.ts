import type { Identity } from '@crossdock/auth';
import type { StreamFeed } from '@crossdock/events';
import { warehousesFromList, type WmsConnector } from '@crossdock/connectors';
import type { Fulfillment, InventoryPosition, Warehouse } from '@crossdock/model';
import type { ReservationStore } from '@crossdock/reservations';
import { batchLoader, DegradedReport, fromBackend } from '@crossdock/service';
import { LIVE_ONLY, snapshotKind, type FallbackCache } from '@crossdock/snapshots';
import type { AckedFigure } from '@crossdock/availability';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { ackKeyOf, type AvailabilityView } from './channel-availability';

/** WMS answers the fallback cache keeps; the names are what SNAPSHOT_MAX_AGE_BY_KIND configures. */
export const WMS_SNAPSHOTS = {
  warehouse: snapshotKind<Warehouse | null>('wms.warehouse'),
  /** As the WMS reported them, before the hub's pending reservations are counted in. */
  positions: snapshotKind<InventoryPosition[]>('wms.positions'),
  fulfillment: snapshotKind<Fulfillment | null>('wms.fulfillment'),
  warehouseList: snapshotKind<Warehouse[]>('wms.warehouse-list'),
};

/** Lookups by key, batched so one query-plan step costs one WMS call per kind of record. */
export interface WmsLoaders {
  warehouses: DataLoader<string, Warehouse | null>;
  /** Every warehouse position of a SKU; empty when no warehouse stocks it. */
  positions: DataLoader<string, InventoryPosition[]>;
  /** The WMS's fulfillment of a hub order; null while the WMS has none. */
  fulfillments: DataLoader<string, Fulfillment | null>;
  /** What a channel acknowledged at a SKU and location (key: ackLoaderKey); every key of a request in one round trip. */
  acknowledged: DataLoader<string, AckedFigure | null>;
}

/** Per-request context of the WMS subgraph. */
export interface WmsContext {
  /** The caller as the gateway vouched for it; null in all-in-one demos and in-process tests. */
  identity: Identity | null;
  loaders: WmsLoaders;
  /** Every warehouse the WMS lists (shared within the request: do not change the array). */
  allWarehouses(): Promise<readonly Warehouse[]>;
  /**
   * Starts this request's read of the WMS's warehouse list, unless one is under way or done.
   * `loaders.warehouses` answers from that one read (the WMS has no lookup by id). A resolver
   * whose children will ask for warehouses calls this next to its own read, so that the
   * warehouses are not a second round trip to the WMS after the fulfilments or positions.
   */
  prefetchWarehouses(): void;
  /** What this request answered from the fallback cache, for `extensions.degraded`. */
  degraded: DegradedReport;
  /** The inventory stream's live reader, for inventoryChanged; null without an event bus. */
  inventoryFeed: StreamFeed | null;
  /**
   * A position as the WMS reported it (an inventory event), with the hub's pending reservations
   * counted as reserved, as every query answers it; unchanged while they cannot be read.
   */
  withPendingReservations(position: InventoryPosition): Promise<InventoryPosition>;
  /** The available-to-sell feeds running in this process; null when none are configured. */
  availability: AvailabilityView | null;
}

/** Pending hub reservations by SKU and warehouse: stock the WMS has not been told of yet. */
export type PendingReservations = Pick<ReservationStore, 'pendingBySku'>;

/** What the WMS subgraph reads besides the WMS; each is optional. */
export interface WmsStores {
  /**
   * The hub's reservations (Redis): every position counts the unconfirmed ones as reserved, so
   * available-to-promise and Product.available reflect a reservation the moment it is made.
   */
  pending?: PendingReservations | null;
  /**
   * Hears that pending reservations could not be read (Redis down): positions are then served
   * as the WMS reports them, since stock reads must keep working without Redis.
   */
  onPendingUnavailable?: (error: unknown) => void;
  /** The fallback cache: answers while the WMS is down. Without it, an outage fails what needed the WMS. */
  snapshots?: FallbackCache | null;
  /** The inventory stream's live reader (see inventory-events.ts); without it there are no subscriptions. */
  inventoryFeed?: StreamFeed | null;
  /** The available-to-sell feeds (see channel-availability.ts); without them availableToSell is empty. */
  availability?: AvailabilityView | null;
}

/** Builds a fresh context, with fresh DataLoaders, for every request. */
export function createWmsContext(wms: WmsConnector, identity: Identity | null, stores: WmsStores = {}): WmsContext {
  const degraded = new DegradedReport('wms');
  const fallback = stores.snapshots?.forRequest(degraded) ?? LIVE_ONLY;
  const pendingOf = async (skus: readonly string[]) => {
    if (!stores.pending) return null;
    try {
      return await stores.pending.pendingBySku(skus);
    } catch (error) {
      stores.onPendingUnavailable?.(error);
      return null;
    }
  };
  const warehouseList = oncePerRequest(() => wms.listWarehouses());
  return {
    identity,
    degraded,
    loaders: {
      warehouses: batchLoader((ids: readonly string[]) =>
        fallback.byKeys(WMS_SNAPSHOTS.warehouse, ids, async (keys) => warehousesFromList(await warehouseList.read(), keys)),
      ),
      positions: batchLoader(async (skus: readonly string[]) => {
        const [positions, reserved] = await Promise.all([
          fallback.byKeys(WMS_SNAPSHOTS.positions, skus, (keys) => wms.positionsBySkus(keys)),
          pendingOf(skus),
        ]);
        if (!reserved) return positions;
        return positions.map((list) =>
          list instanceof Error ? list : list.map((p) => ({ ...p, reserved: p.reserved + (reserved.get(p.sku)?.get(p.warehouseId) ?? 0) })),
        );
      }),
      fulfillments: batchLoader((orderIds: readonly string[]) =>
        fallback.byKeys(WMS_SNAPSHOTS.fulfillment, orderIds, (keys) => wms.fulfillmentsByOrderIds(keys)),
      ),
      // Not a WMS call: no batch limit, so a page of products costs one read of the board.
      acknowledged: new DataLoader(async (keys: readonly string[]) => {
        const view = stores.availability;
        if (!view) return keys.map(() => null);
        try {
          return await view.acknowledged(keys.map(ackKeyOf));
        } catch (error) {
          throw new GraphQLError(`what the channels acknowledged cannot be read right now (Redis): ${error instanceof Error ? error.message : String(error)}`, {
            originalError: error instanceof Error ? error : undefined,
            extensions: { code: 'AVAILABILITY_ACKS_UNAVAILABLE' },
          });
        }
      }),
    },
    inventoryFeed: stores.inventoryFeed ?? null,
    availability: stores.availability ?? null,
    withPendingReservations: async (position) => {
      const pending = (await pendingOf([position.sku]))?.get(position.sku)?.get(position.warehouseId) ?? 0;
      return pending === 0 ? position : { ...position, reserved: position.reserved + pending };
    },
    // The same one list read as the warehouses loader's: a request asking for both reads it once.
    allWarehouses: () => fromBackend(() => fallback.list(WMS_SNAPSHOTS.warehouseList, 'all', () => warehouseList.read())),
    prefetchWarehouses: () => void warehouseList.read(),
  };
}

/**
 * A backend read shared by everything in one request that needs it, which may start it before
 * anyone awaits it. Like a DataLoader's cache, it keeps a failed read for the rest of the request:
 * the connector has retried it already, and reading again would put a second timeout on the
 * request's path when the backend is down (the fallback cache answers instead). A failure nobody
 * waited for is not an unhandled rejection.
 */
function oncePerRequest<T>(read: () => Promise<T>): { read(): Promise<T> } {
  let current: Promise<T> | null = null;
  return {
    read() {
      if (current) return current;
      current = read();
      current.catch(() => undefined);
      return current;
    },
  };
}
