import type { FulfillmentStatus, ShipmentStatus } from '@crossdock/model';
import type { Prng } from './prng';
import type { Catalog } from './world-catalog';
import {
  HOUR_MS,
  WORLD_EPOCH_MS,
  DAY_MS,
  type Place,
  type WorldAllocation,
  type WorldFulfillment,
  type WorldInvoice,
  type WorldOrder,
  type WorldShipment,
  type WorldTrackingEvent,
} from './world-types';

/** Sorting hubs the parcels pass through. */
const HUBS: readonly Place[] = [
  { city: 'Louisville, KY', utcOffset: '-05:00' },
  { city: 'Memphis, TN', utcOffset: '-06:00' },
  { city: 'Indianapolis, IN', utcOffset: '-05:00' },
  { city: 'Salt Lake City, UT', utcOffset: '-07:00' },
];
const CARRIERS = ['UPS', 'FedEx', 'USPS', 'DHL'] as const;

/** The scans a parcel collects on its way to each final status. */
const PATHS: Record<ShipmentStatus, readonly ShipmentStatus[]> = {
  LABEL_CREATED: ['LABEL_CREATED'],
  PICKED_UP: ['LABEL_CREATED', 'PICKED_UP'],
  IN_TRANSIT: ['LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT', 'IN_TRANSIT'],
  OUT_FOR_DELIVERY: ['LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT', 'IN_TRANSIT', 'OUT_FOR_DELIVERY'],
  DELIVERED: ['LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'],
  EXCEPTION: ['LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT', 'EXCEPTION'],
  RETURNED: ['LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT', 'EXCEPTION', 'RETURNED'],
};

/** What the carrier writes next to each scan. */
export const SCAN_DESCRIPTIONS: Record<ShipmentStatus, string> = {
  LABEL_CREATED: 'Shipping label created',
  PICKED_UP: 'Picked up by carrier',
  IN_TRANSIT: 'Arrived at sort facility',
  OUT_FOR_DELIVERY: 'Out for delivery',
  DELIVERED: 'Delivered',
  EXCEPTION: 'Delivery exception: consignee closed',
  RETURNED: 'Returned to shipper',
};

export interface Logistics {
  fulfillments: WorldFulfillment[];
  shipments: WorldShipment[];
  invoices: WorldInvoice[];
}

function trackingNumberFor(prng: Prng, carrier: string): string {
  if (carrier === 'UPS') return `1Z${prng.chars('0123456789ABCDEFGHJKLMNPRSTUVWXYZ', 16)}`;
  if (carrier === 'FedEx') return prng.chars('0123456789', 12);
  if (carrier === 'USPS') return `9400${prng.chars('0123456789', 18)}`;
  return prng.chars('0123456789', 10);
}

/**
 * Allocates each line, mostly from the first-priority warehouse holding the SKU. When the order
 * must ship partially, the first units go to two different warehouses so there are two parcels.
 */
function allocate(prng: Prng, catalog: Catalog, order: WorldOrder, split: boolean): WorldAllocation[] {
  const allocations: WorldAllocation[] = [];
  const warehousesOf = (sku: string): string[] => (catalog.positionsBySku.get(sku) ?? []).map((p) => p.warehouseId);
  order.lines.forEach((line, i) => {
    const candidates = warehousesOf(line.sku);
    const first = candidates[0] ?? 'WH-EAST';
    if (split && i === 0 && line.quantity >= 2) {
      const half = Math.floor(line.quantity / 2);
      allocations.push({ warehouseId: first, sku: line.sku, quantity: line.quantity - half });
      allocations.push({ warehouseId: candidates[1] ?? first, sku: line.sku, quantity: half });
      return;
    }
    const taken = allocations[0]?.warehouseId;
    const other = candidates.find((w) => w !== taken) ?? first;
    const warehouseId = split && i === 1 && allocations.length === 1 ? other : prng.chance(0.7) ? first : prng.pick(candidates);
    allocations.push({ warehouseId, sku: line.sku, quantity: line.quantity });
  });
  return allocations;
}

function fulfillmentStatusFor(prng: Prng, order: WorldOrder): FulfillmentStatus {
  switch (order.status) {
    case 'ALLOCATED':
      return prng.pick(['ALLOCATED', 'PICKING', 'PACKED'] as const);
    case 'PARTIALLY_SHIPPED':
      return 'PARTIALLY_SHIPPED';
    case 'SHIPPED':
    case 'DELIVERED':
      return 'SHIPPED';
    default:
      return 'UNALLOCATED';
  }
}

/** Statuses of the order's parcels, one per warehouse, consistent with the order's status. */
function parcelStatuses(prng: Prng, order: WorldOrder, fulfillment: FulfillmentStatus, parcels: number): (ShipmentStatus | null)[] {
  const age = (WORLD_EPOCH_MS - order.placedAtMs) / DAY_MS;
  const moving = (): ShipmentStatus => prng.pick(['PICKED_UP', 'IN_TRANSIT', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'EXCEPTION'] as const);
  return Array.from({ length: parcels }, (_, i): ShipmentStatus | null => {
    if (order.status === 'ALLOCATED') return fulfillment === 'PACKED' ? 'LABEL_CREATED' : null;
    if (order.status === 'PARTIALLY_SHIPPED') return i === 0 ? prng.pick(['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'] as const) : null;
    if (order.status === 'DELIVERED') return 'DELIVERED';
    if (order.status !== 'SHIPPED') return null;
    // Old orders still "shipped" are the ones whose first parcel got stuck or came back.
    if (age >= 12) return i === 0 ? prng.pick(['EXCEPTION', 'RETURNED'] as const) : 'DELIVERED';
    return moving();
  });
}

function trackingEvents(prng: Prng, catalog: Catalog, order: WorldOrder, warehousePlace: Place, status: ShipmentStatus): WorldTrackingEvent[] {
  const destination = catalog.customersById.get(order.customerId)?.place ?? warehousePlace;
  const path = PATHS[status];
  const offsets: number[] = [];
  let offset = prng.int(4, 30) * HOUR_MS;
  for (let i = 0; i < path.length; i += 1) {
    offsets.push(offset);
    offset += prng.int(3, 28) * HOUR_MS;
  }
  // Squeeze the timeline when it would run past the epoch: nothing happens in the future.
  const room = WORLD_EPOCH_MS - 30 * 60_000 - order.placedAtMs;
  const last = offsets[offsets.length - 1] ?? 0;
  const scale = last > room ? room / last : 1;
  return path.map((step, i): WorldTrackingEvent => {
    const atMs = order.placedAtMs + Math.floor(((offsets[i] ?? 0) * scale) / 1000) * 1000;
    const place =
      step === 'LABEL_CREATED' || step === 'PICKED_UP' || step === 'RETURNED'
        ? warehousePlace
        : step === 'IN_TRANSIT' || step === 'EXCEPTION'
          ? prng.pick(HUBS)
          : destination;
    return { atMs, status: step, place, description: SCAN_DESCRIPTIONS[step] };
  });
}

/**
 * Fulfillments, parcels and invoices that agree with each order's status, and the stock
 * reservations the open allocations hold.
 */
export function generateLogistics(prng: Prng, catalog: Catalog, orders: readonly WorldOrder[]): Logistics {
  const fulfillments: WorldFulfillment[] = [];
  const shipments: WorldShipment[] = [];
  const invoices: WorldInvoice[] = [];
  const warehouses = new Map(catalog.warehouses.map((w) => [w.id, w]));
  for (const order of orders) {
    const status = fulfillmentStatusFor(prng, order);
    const allocations = status === 'UNALLOCATED' ? [] : allocate(prng, catalog, order, order.status === 'PARTIALLY_SHIPPED');
    const parcels = [...new Set(allocations.map((a) => a.warehouseId))];
    const parcelStatus = parcelStatuses(prng, order, status, parcels.length);
    let labelAtMs: number | null = null;
    parcels.forEach((warehouseId, i) => {
      const shipmentStatus = parcelStatus[i] ?? null;
      if (shipmentStatus === null) {
        for (const a of allocations.filter((x) => x.warehouseId === warehouseId)) reserve(catalog, a);
        return;
      }
      const carrier = prng.pick(CARRIERS);
      const place = warehouses.get(warehouseId)?.place ?? { city: 'Unknown', utcOffset: '+00:00' };
      const events = trackingEvents(prng, catalog, order, place, shipmentStatus);
      const firstAt = events[0]?.atMs ?? order.placedAtMs;
      labelAtMs ??= firstAt;
      shipments.push({
        id: `SHP-${(shipments.length + 1).toString().padStart(6, '0')}`,
        orderId: order.id,
        warehouseId,
        carrier,
        trackingNumber: trackingNumberFor(prng, carrier),
        status: shipmentStatus,
        events,
        estimatedDeliveryMs: shipmentStatus === 'RETURNED' ? null : firstAt + 3 * DAY_MS,
      });
    });
    fulfillments.push({
      orderId: order.id,
      status,
      voided: order.status === 'CANCELLED',
      allocations,
      updatedAtMs: labelAtMs ?? order.placedAtMs + prng.int(1, 6) * HOUR_MS,
    });
    if (order.status === 'SHIPPED' || order.status === 'DELIVERED') {
      invoices.push({
        entryNo: 300_001 + invoices.length,
        number: `INV-2026-${(invoices.length + 1).toString().padStart(6, '0')}`,
        orderId: order.id,
        issuedAtMs: (labelAtMs ?? order.placedAtMs) + HOUR_MS,
        totalCents: order.totalCents,
      });
    }
  }
  return { fulfillments, shipments, invoices };
}

/** Goods held for an open allocation are on the shelf and spoken for. */
function reserve(catalog: Catalog, allocation: WorldAllocation): void {
  const position = catalog.positionsBySku.get(allocation.sku)?.find((p) => p.warehouseId === allocation.warehouseId);
  if (!position) return;
  position.reserved += allocation.quantity;
  position.onHand += allocation.quantity;
}
