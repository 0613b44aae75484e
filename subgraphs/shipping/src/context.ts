import type { Identity } from '@crossdock/auth';
import type { ShippingConnector } from '@crossdock/connectors';
import type { Shipment } from '@crossdock/model';
import { batchLoader, fromBackend } from '@crossdock/service';
import type DataLoader from 'dataloader';

/** What a client reads when the carrier cannot answer; the address and socket error stay in the logs. */

/** Per-request batching: every lookup in one query-plan step costs one carrier call per kind. */
export interface ShippingLoaders {
  /** Shipments by id; null for an id the carrier does not know. */
  shipmentById: DataLoader<string, Shipment | null>;
  /** Every shipment of an order; empty for an order that has not shipped (or is unknown). */
  shipmentsByOrderId: DataLoader<string, Shipment[]>;
}

/** What every shipping resolver gets. */
export interface ShippingContext {
  /** The caller as the gateway verified it; null in all-in-one demos and in-process tests. */
  identity: Identity | null;
  loaders: ShippingLoaders;
}

/**
 * Builds a request's context. Loaders are fresh for every request, so nothing cached for one
 * caller is ever served to another.
 */
export function createShippingContext(connector: ShippingConnector, identity: Identity | null): ShippingContext {
  return {
    identity,
    loaders: {
      shipmentById: batchLoader((ids: readonly string[]) => fromBackend(() => connector.shipmentsByIds(ids))),
      shipmentsByOrderId: batchLoader((orderIds: readonly string[]) =>
        fromBackend(() => connector.shipmentsByOrderIds(orderIds)),
      ),
    },
  };
}
