import { randomUUID } from 'node:crypto';
import type { ShipmentStatus } from '@crossdock/model';
import { HttpError, isoWithOffset } from './http-kit';
import type { WebhookSender } from './webhook-sender';
import { SCAN_DESCRIPTIONS } from './world-logistics';
import { generateWorld, groupBy, type Place, type World, type WorldShipment } from './world';

/**
 * The carrier's parcels and their scans, in its own vocabulary: camelCase JSON, two-letter status
 * codes, scans newest first, each scan time in the local time of the place it happened.
 */

export const CARRIER_STATUS_CODES: Record<ShipmentStatus, string> = {
  LABEL_CREATED: 'LC',
  PICKED_UP: 'PU',
  IN_TRANSIT: 'IT',
  OUT_FOR_DELIVERY: 'OD',
  DELIVERED: 'DL',
  EXCEPTION: 'EX',
  RETURNED: 'RT',
};
const SCAC: Record<string, string> = { UPS: 'UPSN', FedEx: 'FDEG', USPS: 'USPS', DHL: 'DHLC' };
/** The next milestone; an exception resumes transit. DELIVERED and RETURNED are final. */
const NEXT: Partial<Record<ShipmentStatus, ShipmentStatus>> = {
  LABEL_CREATED: 'PICKED_UP',
  PICKED_UP: 'IN_TRANSIT',
  IN_TRANSIT: 'OUT_FOR_DELIVERY',
  OUT_FOR_DELIVERY: 'DELIVERED',
  EXCEPTION: 'IN_TRANSIT',
};
const LINEHAUL_HUB: Place = { city: 'Louisville, KY', utcOffset: '-05:00' };
const UNKNOWN_PLACE: Place = { city: 'Unknown', utcOffset: '+00:00' };

interface CarrierIndex {
  shipments: WorldShipment[];
  shipmentsById: Map<string, WorldShipment>;
  shipmentsByOrder: Map<string, WorldShipment[]>;
  origins: Map<string, Place>;
  destinations: Map<string, Place>;
  /** The shipper's references per order: consignee customer number and sales channel. */
  references: Map<string, { type: string; value: string }[]>;
}

function indexWorld(world: World): CarrierIndex {
  const customers = new Map(world.customers.map((c) => [c.id, c.place]));
  return {
    shipments: world.shipments,
    shipmentsById: new Map(world.shipments.map((s) => [s.id, s])),
    shipmentsByOrder: groupBy(world.shipments, (s) => s.orderId),
    origins: new Map(world.warehouses.map((w) => [w.id, w.place])),
    destinations: new Map(world.orders.map((o) => [o.id, customers.get(o.customerId) ?? UNKNOWN_PLACE])),
    references: new Map(world.orders.map((o) => [o.id, [{ type: 'CUSTOMER_NUMBER', value: o.customerId }, { type: 'SALES_CHANNEL', value: o.channel }]])),
  };
}

/** The carrier's state; every scan goes out as a tracking notice. reset() restores the seeded parcels. */
export class CarrierNetwork {
  private index = indexWorld(generateWorld());

  constructor(private readonly notices: WebhookSender) {}

  reset(): void {
    this.index = indexWorld(generateWorld());
  }

  shipment(id: string): WorldShipment | undefined {
    return this.index.shipmentsById.get(id);
  }

  shipmentsOf(orderRef: string): readonly WorldShipment[] {
    return this.index.shipmentsByOrder.get(orderRef) ?? [];
  }

  /** Parcels that still have a next milestone, in id order (the activity picks scans from them). */
  movingShipmentIds(): string[] {
    return this.index.shipments.filter((s) => NEXT[s.status] !== undefined).map((s) => s.id);
  }

  render(s: WorldShipment) {
    const destination = this.index.destinations.get(s.orderId) ?? UNKNOWN_PLACE;
    return {
      shipmentId: s.id,
      orderReference: s.orderId,
      // What the shipper printed on the label besides the order reference: whose parcel, and where from.
      references: [...(this.index.references.get(s.orderId) ?? []), { type: 'SHIP_FROM', value: s.warehouseId }],
      carrier: { scac: SCAC[s.carrier] ?? s.carrier.toUpperCase(), name: s.carrier },
      trackingNumber: s.trackingNumber,
      statusCode: CARRIER_STATUS_CODES[s.status],
      origin: { city: (this.index.origins.get(s.warehouseId) ?? UNKNOWN_PLACE).city },
      destination: { city: destination.city },
      estimatedDeliveryAt: s.estimatedDeliveryMs === null ? null : isoWithOffset(s.estimatedDeliveryMs, destination.utcOffset),
      scans: [...s.events].reverse().map((e) => ({
        statusCode: CARRIER_STATUS_CODES[e.status],
        scannedAt: isoWithOffset(e.atMs, e.place.utcOffset),
        location: e.place.city,
        description: e.description,
      })),
    };
  }

  /** The carrier scans the parcel's next milestone where it would happen, and sends its notice. */
  advance(shipmentId: string): ReturnType<CarrierNetwork['render']> {
    const s = this.index.shipmentsById.get(shipmentId);
    if (!s) throw new HttpError(404, 'not_found', `no shipment ${shipmentId}`);
    const next = NEXT[s.status];
    if (!next) throw new HttpError(409, 'final_status', `shipment ${s.id} is already ${s.status}`);
    const place =
      next === 'PICKED_UP'
        ? (this.index.origins.get(s.warehouseId) ?? UNKNOWN_PLACE)
        : next === 'IN_TRANSIT'
          ? LINEHAUL_HUB
          : (this.index.destinations.get(s.orderId) ?? UNKNOWN_PLACE);
    const lastAt = s.events[s.events.length - 1]?.atMs ?? 0;
    // Wall-clock time for live scans (whole seconds, as scanners stamp), never before the history.
    const atMs = Math.max(Math.floor(Date.now() / 1000) * 1000, lastAt + 1000);
    s.events.push({ atMs, status: next, place, description: SCAN_DESCRIPTIONS[next] });
    s.status = next;
    const rendered = this.render(s);
    this.notices.send({ eventType: 'shipment.tracking_updated', eventId: randomUUID(), shipment: rendered });
    return rendered;
  }

  close(): Promise<void> {
    return this.notices.close();
  }
}
