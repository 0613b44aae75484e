import type { FulfillmentStatus, OrderStatus, ShipmentStatus } from '@crossdock/model';

/**
 * The one seeded world all four simulators serve, each in its own vocabulary. It is described
 * in the hub's canonical terms (statuses, ids) so tests can compute what a connector must
 * answer; money is integer cents and time is epoch milliseconds so no float or time zone leaks
 * into the truth.
 */

/** Every date in the world is relative to this instant, never to the wall clock. */
export const WORLD_EPOCH_MS = Date.UTC(2026, 10, 1);
export const WORLD_SEED = 20_261_101;
export const WORLD_CURRENCY = 'USD';
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Orders are placed over this span before the epoch. */
export const WORLD_SPAN_MS = 60 * DAY_MS;

/** A place with a fixed UTC offset, so backends can print local times honestly. */
export interface Place {
  city: string;
  /** e.g. "-05:00". */
  utcOffset: string;
}

export interface WorldWarehouse {
  id: string;
  name: string;
  region: string;
  priority: number;
  place: Place;
}

export interface WorldProduct {
  sku: string;
  name: string;
  uom: 'EA' | 'CS' | 'BX';
  listPriceCents: number;
  sellable: boolean;
}

export interface WorldCustomer {
  id: string;
  name: string;
  creditLimitCents: number;
  creditUsedCents: number;
  onHold: boolean;
  /** Percent off list price on every line. */
  discountPercent: number;
  place: Place;
}

export interface WorldOrderLine {
  lineNumber: number;
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface WorldOrder {
  id: string;
  /** The commerce platform's own numeric id. */
  commerceId: number;
  channel: string;
  externalRef: string;
  status: OrderStatus;
  placedAtMs: number;
  customerId: string;
  lines: WorldOrderLine[];
  erpOrderNumber: string;
  totalCents: number;
}

export interface WorldInvoice {
  entryNo: number;
  number: string;
  orderId: string;
  issuedAtMs: number;
  totalCents: number;
}

export interface WorldPosition {
  sku: string;
  warehouseId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  updatedAtMs: number;
}

export interface WorldAllocation {
  warehouseId: string;
  sku: string;
  quantity: number;
}

export interface WorldFulfillment {
  orderId: string;
  status: FulfillmentStatus;
  /** True for cancelled orders: the WMS voids them rather than deleting. */
  voided: boolean;
  allocations: WorldAllocation[];
  updatedAtMs: number;
}

export interface WorldTrackingEvent {
  atMs: number;
  status: ShipmentStatus;
  place: Place;
  description: string;
}

export interface WorldShipment {
  id: string;
  orderId: string;
  warehouseId: string;
  carrier: string;
  trackingNumber: string;
  status: ShipmentStatus;
  events: WorldTrackingEvent[];
  estimatedDeliveryMs: number | null;
}

export interface World {
  warehouses: WorldWarehouse[];
  products: WorldProduct[];
  customers: WorldCustomer[];
  orders: WorldOrder[];
  invoices: WorldInvoice[];
  positions: WorldPosition[];
  fulfillments: WorldFulfillment[];
  shipments: WorldShipment[];
}
