import type { Identity } from '@crossdock/auth';
import type { WmsConnector } from '@crossdock/connectors';
import type { Fulfillment, InventoryPosition, Warehouse } from '@crossdock/model';
import type { ReservationStore } from '@crossdock/reservations';
import { batchLoader, fromBackend } from '@crossdock/service';
import type DataLoader from 'dataloader';

/** Lookups by key, batched so one query-plan step costs one WMS call per kind of record. */
export interface WmsLoaders {
  warehouses: DataLoader<string, Warehouse | null>;
  /** Every warehouse position of a SKU; empty when no warehouse stocks it. */
  positions: DataLoader<string, InventoryPosition[]>;
  /** The WMS's fulfillment of a hub order; null while the WMS has none. */
  fulfillments: DataLoader<string, Fulfillment | null>;
}

/** Per-request context of the WMS subgraph. */
export interface WmsContext {
  /** The caller as the gateway vouched for it; null in all-in-one demos and in-process tests. */
  identity: Identity | null;
  loaders: WmsLoaders;
  /** Every warehouse the WMS lists. */
  allWarehouses(): Promise<Warehouse[]>;
}

/** Pending hub reservations by SKU and warehouse: stock the WMS has not been told of yet. */
export type PendingReservations = Pick<ReservationStore, 'pendingBySku'>;

/**
 * Builds a fresh context, with fresh DataLoaders, for every request. With `pending`, every
 * position counts the hub's unconfirmed reservations as reserved, so available-to-promise and
 * Product.available reflect a reservation the moment it is made, before the WMS confirms it.
 */
export function createWmsContext(wms: WmsConnector, identity: Identity | null, pending: PendingReservations | null = null): WmsContext {
  return {
    identity,
    loaders: {
      warehouses: batchLoader((ids: readonly string[]) => fromBackend(() => wms.warehousesByIds(ids))),
      positions: batchLoader(async (skus: readonly string[]) => {
        const [positions, reserved] = await Promise.all([fromBackend(() => wms.positionsBySkus(skus)), pending?.pendingBySku(skus)]);
        if (!reserved) return positions;
        return positions.map((list) =>
          list.map((p) => ({ ...p, reserved: p.reserved + (reserved.get(p.sku)?.get(p.warehouseId) ?? 0) })),
        );
      }),
      fulfillments: batchLoader((orderIds: readonly string[]) => fromBackend(() => wms.fulfillmentsByOrderIds(orderIds))),
    },
    allWarehouses: () => fromBackend(() => wms.listWarehouses()),
  };
}
