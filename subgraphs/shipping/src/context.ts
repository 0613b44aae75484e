import type { Identity } from '@crossdock/auth';
import type { StreamFeed } from '@crossdock/events';
import type { ShippingConnector } from '@crossdock/connectors';
import type { Shipment } from '@crossdock/model';
import { batchLoader, DegradedReport, mayRead } from '@crossdock/service';
import { LIVE_ONLY, snapshotKind, type FallbackCache } from '@crossdock/snapshots';
import type DataLoader from 'dataloader';
import { shipmentMilestones, type ShipmentMilestones } from './shipment-milestones';

/** Carrier answers the fallback cache keeps; the names are what SNAPSHOT_MAX_AGE_BY_KIND configures. */
export const SHIPPING_SNAPSHOTS = {
  shipment: snapshotKind<Shipment | null>('shipping.shipment'),
  orderShipments: snapshotKind<Shipment[]>('shipping.order-shipments'),
};

/** Per-request batching: every lookup in one query-plan step costs one carrier call per kind. */
export interface ShippingLoaders {
  /**
   * Shipments by id; null for an id the carrier does not know AND for a parcel outside the
   * caller's customer or channel (CONTRACT.md, Auth: not found, no hint).
   */
  shipmentById: DataLoader<string, Shipment | null>;
  /**
   * Every shipment of an order the caller may see; empty for an order that has not shipped, is
   * unknown, or is somebody else's.
   */
  shipmentsByOrderId: DataLoader<string, Shipment[]>;
}

/** What every shipping resolver gets. */
export interface ShippingContext {
  /** The caller as the gateway verified it; null in all-in-one demos and in-process tests. */
  identity: Identity | null;
  loaders: ShippingLoaders;
  /** What this request answered from the fallback cache, for `extensions.degraded`. */
  degraded: DegradedReport;
  /** The shipments stream's live reader, for shipmentUpdated; null without an event bus. */
  shipmentFeed: StreamFeed | null;
}

/** What the shipping subgraph reads besides the carrier. */
export interface ShippingStores {
  /** The fallback cache: answers while the carrier is down. Without it, an outage fails what needed the carrier. */
  snapshots?: FallbackCache | null;
  /** The shipments stream's live reader (see shipment-events.ts); without it there are no subscriptions. */
  shipmentFeed?: StreamFeed | null;
  /** Times carrier milestones as the hub first sees them (default: the process's tracker). */
  milestones?: ShipmentMilestones;
}

/**
 * Builds a request's context. Loaders are fresh for every request, so nothing cached for one
 * caller is ever served to another.
 */
export function createShippingContext(connector: ShippingConnector, identity: Identity | null, stores: ShippingStores = {}): ShippingContext {
  const degraded = new DegradedReport('shipping');
  const fallback = stores.snapshots?.forRequest(degraded) ?? LIVE_ONLY;
  // Whose parcel it is comes from the carrier's own record: the customer number and sales
  // channel the hub's labels carry as references. A parcel without them is nobody's to a
  // restricted caller. Filtering here, under every resolver, leaves no path around it.
  const visible = (shipment: Shipment) => mayRead(identity, shipment);
  const milestones = stores.milestones ?? shipmentMilestones;
  return {
    identity,
    degraded,
    shipmentFeed: stores.shipmentFeed ?? null,
    loaders: {
      shipmentById: batchLoader(async (ids: readonly string[]) => {
        const found = await fallback.byKeys(SHIPPING_SNAPSHOTS.shipment, ids, (keys) => connector.shipmentsByIds(keys));
        milestones.observe(found);
        return found.map((shipment) => (shipment === null || shipment instanceof Error || visible(shipment) ? shipment : null));
      }),
      shipmentsByOrderId: batchLoader(async (orderIds: readonly string[]) => {
        const found = await fallback.byKeys(SHIPPING_SNAPSHOTS.orderShipments, orderIds, (keys) => connector.shipmentsByOrderIds(keys));
        for (const shipments of found) if (!(shipments instanceof Error)) milestones.observe(shipments);
        return found.map((shipments) => (shipments instanceof Error ? shipments : shipments.filter(visible)));
      }),
    },
  };
}
