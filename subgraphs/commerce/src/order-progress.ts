import type { OrderStatus, ShipmentStatus } from '@crossdock/model';

/** One parcel of an order as the carrier last reported it. */
export interface ParcelStatus {
  id: string;
  status: ShipmentStatus;
}

/** How far along an order is; CANCELLED is final and never moved by a scan. */
const PROGRESS: Record<OrderStatus, number> = {
  ACCEPTED: 0,
  ON_HOLD: 0,
  ALLOCATED: 1,
  PARTIALLY_SHIPPED: 2,
  SHIPPED: 3,
  DELIVERED: 4,
  CANCELLED: -1,
};

/**
 * What an order's parcels say about it: DELIVERED when all are delivered, SHIPPED when all have
 * left the warehouse (anything past LABEL_CREATED), PARTIALLY_SHIPPED when some have; null when
 * none has moved (the parcels say nothing yet).
 */
export function statusFromParcels(parcels: readonly ParcelStatus[]): OrderStatus | null {
  if (parcels.length === 0) return null;
  if (parcels.every((p) => p.status === 'DELIVERED')) return 'DELIVERED';
  const moved = parcels.filter((p) => p.status !== 'LABEL_CREATED').length;
  if (moved === 0) return null;
  return moved === parcels.length ? 'SHIPPED' : 'PARTIALLY_SHIPPED';
}

/**
 * The order's status given what the commerce platform says and what its parcels say: parcels
 * only ever move an order forward, and never a cancelled one.
 */
export function progressedStatus(recorded: OrderStatus, parcels: readonly ParcelStatus[]): OrderStatus {
  const fromParcels = statusFromParcels(parcels);
  if (recorded === 'CANCELLED' || fromParcels === null) return recorded;
  return PROGRESS[fromParcels] > PROGRESS[recorded] ? fromParcels : recorded;
}
