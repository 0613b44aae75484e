/**
 * The canonical model: what the hub means by an order, a customer, a stock position, whatever the
 * backend systems call them. Connectors translate each backend's own vocabulary into these types;
 * subgraphs serve them. IDs are strings, time is UTC ISO-8601, money is a decimal string.
 */

export interface Money {
  /** Decimal string, e.g. "1234.50". Never a float. */
  amount: string;
  /** ISO-4217 code. */
  currency: string;
}

export const ORDER_STATUSES = [
  'ACCEPTED',
  'ON_HOLD',
  'ALLOCATED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ERP_POSTINGS = ['POSTED', 'QUEUED', 'FAILED'] as const;
export type ErpPosting = (typeof ERP_POSTINGS)[number];

export const FULFILLMENT_STATUSES = [
  'UNALLOCATED',
  'ALLOCATED',
  'PICKING',
  'PACKED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export const SHIPMENT_STATUSES = [
  'LABEL_CREATED',
  'PICKED_UP',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'EXCEPTION',
  'RETURNED',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const CHANNELS = ['web', 'edi', 'marketplace', 'b2b-portal'] as const;

/** ERP master data: a customer account. */
export interface Customer {
  id: string;
  name: string;
  onHold: boolean;
  creditLimit: Money;
  creditAvailable: Money;
}

/** ERP master data: a sellable item. */
export interface Product {
  sku: string;
  name: string;
  /** Unit of measure, e.g. "EA", "CS". */
  uom: string;
  listPrice: Money;
  /** False for items blocked or discontinued in the ERP. */
  sellable: boolean;
}

export interface ErpOrderLine {
  lineNumber: number;
  sku: string;
  quantity: number;
  unitPrice: Money;
}

/** The ERP's sales order for a hub order (its system of record for money). */
export interface ErpOrder {
  /** The hub's order id (the ERP keeps it as external reference). */
  orderId: string;
  /** The sell-to customer: whose order it is, for row-level access. */
  customerId: string;
  /** The sales channel the ERP booked it under; null when the sales order carries none. */
  channel: string | null;
  erpOrderNumber: string;
  total: Money;
  lines: ErpOrderLine[];
}

export interface Invoice {
  id: string;
  orderId: string;
  number: string;
  issuedAt: string;
  total: Money;
}

export interface Warehouse {
  id: string;
  name: string;
  region: string;
  /** Lower ships first when an order must be split. */
  priority: number;
}

/** Stock of one SKU in one warehouse, as the WMS reports it. */
export interface InventoryPosition {
  sku: string;
  warehouseId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  updatedAt: string;
}

export interface Allocation {
  warehouseId: string;
  sku: string;
  quantity: number;
}

/** The WMS's view of an order: how far it got in the warehouse. */
export interface Fulfillment {
  orderId: string;
  /** The ship-to customer the WMS holds for the order; null when it was never told. */
  customerId: string | null;
  /** The order's sales channel as the WMS holds it; null when it was never told. */
  channel: string | null;
  status: FulfillmentStatus;
  allocations: Allocation[];
}

export interface OrderLine {
  orderId: string;
  lineNumber: number;
  sku: string;
  quantity: number;
}

/** The canonical order, as captured from a channel. */
export interface Order {
  id: string;
  channel: string;
  externalRef: string | null;
  status: OrderStatus;
  placedAt: string;
  customerId: string;
  lines: OrderLine[];
}

export interface TrackingEvent {
  at: string;
  status: ShipmentStatus;
  location: string | null;
  description: string | null;
}

export interface Shipment {
  id: string;
  orderId: string;
  /** The consignee's customer number from the parcel's references; null when the label carries none. */
  customerId: string | null;
  /** The sales channel from the parcel's references; null when the label carries none. */
  channel: string | null;
  /**
   * The warehouse the parcel left from (the shipper's SHIP_FROM reference on the label): which of
   * the order's allocations it holds when the order ships from several. Null when the label
   * carries none.
   */
  shipFromWarehouseId: string | null;
  carrier: string;
  trackingNumber: string;
  status: ShipmentStatus;
  events: TrackingEvent[];
  estimatedDelivery: string | null;
}

/** One page of a backend list, with the backend's own opaque continuation. */
export interface Page<T> {
  items: T[];
  /** Continuation to pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface PageRequest {
  /** At most this many items (the connector caps it at the backend's page limit). */
  first: number;
  /** A `nextCursor` from a previous page. */
  after?: string | null;
}

export interface OrderQuery {
  customerId?: string | null;
  channel?: string | null;
  status?: readonly OrderStatus[] | null;
  /** ISO-8601, inclusive. */
  placedAfter?: string | null;
  /** ISO-8601, exclusive. */
  placedBefore?: string | null;
}

/** `available` = on hand − reserved − safety stock, never below 0 (CONTRACT.md). */
export function availableOf(position: Pick<InventoryPosition, 'onHand' | 'reserved' | 'safetyStock'>): number {
  return Math.max(0, position.onHand - position.reserved - position.safetyStock);
}
