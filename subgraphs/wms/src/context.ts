import type { Identity } from '@crossdock/auth';
import type { WmsConnector } from '@crossdock/connectors';
import type { Fulfillment, InventoryPosition, Warehouse } from '@crossdock/model';
import { batchLoader } from '@crossdock/service';
import type DataLoader from 'dataloader';
import { fromBackend } from './backend-errors';

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

/** Builds a fresh context, with fresh DataLoaders, for every request. */
export function createWmsContext(wms: WmsConnector, identity: Identity | null): WmsContext {
  return {
    identity,
    loaders: {
      warehouses: batchLoader((ids: readonly string[]) => fromBackend(() => wms.warehousesByIds(ids))),
      positions: batchLoader((skus: readonly string[]) => fromBackend(() => wms.positionsBySkus(skus))),
      fulfillments: batchLoader((orderIds: readonly string[]) => fromBackend(() => wms.fulfillmentsByOrderIds(orderIds))),
    },
    allWarehouses: () => fromBackend(() => wms.listWarehouses()),
  };
}
