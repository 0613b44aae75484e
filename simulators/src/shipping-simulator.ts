import { randomUUID } from 'node:crypto';
import type { ShipmentStatus } from '@crossdock/model';
import { HttpError, Router, isoWithOffset, stringListField } from './http-kit';
import { startSimServer, type RunningSimulator, type SimulatorOptions } from './sim-server';
import { WebhookSender } from './webhook-sender';
import { SCAN_DESCRIPTIONS } from './world-logistics';
import { generateWorld, groupBy, type Place, type World, type WorldShipment } from './world';

/**
 * The carrier: camelCase JSON, two-letter status codes, scans newest first, each scan time in the
 * local time of the place it happened.
 */

/** Options of the carrier simulator. */
export interface ShippingSimulatorOptions extends SimulatorOptions {
  /** Receives a tracking notice after every `/_admin/shipments/<id>/advance`. */
  webhookUrl?: string;
  /** Signs notices: hex HMAC-SHA256 of the body in `X-Carrier-Signature`. */
  webhookSecret?: string;
}

const MAX_BATCH = 100;
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
  shipmentsById: Map<string, WorldShipment>;
  shipmentsByOrder: Map<string, WorldShipment[]>;
  origins: Map<string, Place>;
  destinations: Map<string, Place>;
}

function indexWorld(world: World): CarrierIndex {
  const customers = new Map(world.customers.map((c) => [c.id, c.place]));
  return {
    shipmentsById: new Map(world.shipments.map((s) => [s.id, s])),
    shipmentsByOrder: groupBy(world.shipments, (s) => s.orderId),
    origins: new Map(world.warehouses.map((w) => [w.id, w.place])),
    destinations: new Map(world.orders.map((o) => [o.id, customers.get(o.customerId) ?? UNKNOWN_PLACE])),
  };
}

function renderShipment(s: WorldShipment, index: CarrierIndex) {
  const destination = index.destinations.get(s.orderId) ?? UNKNOWN_PLACE;
  return {
    shipmentId: s.id,
    orderReference: s.orderId,
    carrier: { scac: SCAC[s.carrier] ?? s.carrier.toUpperCase(), name: s.carrier },
    trackingNumber: s.trackingNumber,
    statusCode: CARRIER_STATUS_CODES[s.status],
    origin: { city: (index.origins.get(s.warehouseId) ?? UNKNOWN_PLACE).city },
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

function search(body: unknown, index: CarrierIndex): WorldShipment[] {
  const ids = stringListField(body, 'shipmentIds', MAX_BATCH);
  const refs = stringListField(body, 'orderReferences', MAX_BATCH);
  if ((ids === null) === (refs === null)) {
    throw new HttpError(400, 'INVALID_REQUEST', 'send exactly one of "shipmentIds" or "orderReferences"');
  }
  if (ids) return ids.flatMap((id) => index.shipmentsById.get(id) ?? []);
  return (refs ?? []).flatMap((ref) => index.shipmentsByOrder.get(ref) ?? []);
}

/** The carrier scans the next milestone where it would happen. */
function advance(s: WorldShipment, index: CarrierIndex): void {
  const next = NEXT[s.status];
  if (!next) throw new HttpError(409, 'final_status', `shipment ${s.id} is already ${s.status}`);
  const place =
    next === 'PICKED_UP'
      ? (index.origins.get(s.warehouseId) ?? UNKNOWN_PLACE)
      : next === 'IN_TRANSIT'
        ? LINEHAUL_HUB
        : (index.destinations.get(s.orderId) ?? UNKNOWN_PLACE);
  const lastAt = s.events[s.events.length - 1]?.atMs ?? 0;
  // Wall-clock time for live scans, but never before the seeded history.
  const atMs = Math.max(Math.floor(Date.now() / 1000) * 1000, lastAt + 1000);
  s.events.push({ atMs, status: next, place, description: SCAN_DESCRIPTIONS[next] });
  s.status = next;
}

/**
 * Starts the carrier simulator.
 *
 * - `GET /v1/shipments/{shipmentId}`
 * - `POST /v1/shipments/search` `{ "shipmentIds": [...] }` or `{ "orderReferences": [...] }`
 * - admin: `POST /_admin/shipments/{shipmentId}/advance`
 */
export async function startShippingSimulator(options: ShippingSimulatorOptions = {}): Promise<RunningSimulator> {
  let index = indexWorld(generateWorld());
  const webhooks = new WebhookSender(
    options.webhookUrl ? { url: options.webhookUrl, secret: options.webhookSecret, signatureHeader: 'X-Carrier-Signature' } : null,
    'sim-shipping',
  );
  const routes = new Router()
    .on('GET', '/v1/shipments/:shipmentId', (req) => {
      const shipment = index.shipmentsById.get(req.params.shipmentId ?? '');
      if (!shipment) throw new HttpError(404, 'NOT_FOUND', `no shipment ${req.params.shipmentId ?? ''}`);
      return { body: { shipment: renderShipment(shipment, index) } };
    })
    .on('POST', '/v1/shipments/search', (req) => {
      const results = search(req.body, index).map((s) => renderShipment(s, index));
      return { body: { results, count: results.length } };
    });
  const admin = new Router().on('POST', '/_admin/shipments/:shipmentId/advance', (req) => {
    const shipment = index.shipmentsById.get(req.params.shipmentId ?? '');
    if (!shipment) throw new HttpError(404, 'not_found', `no shipment ${req.params.shipmentId ?? ''}`);
    advance(shipment, index);
    const rendered = renderShipment(shipment, index);
    webhooks.send({ eventType: 'shipment.tracking_updated', eventId: randomUUID(), shipment: rendered });
    return { body: { shipment: rendered } };
  });
  return startSimServer({
    ...options,
    name: 'sim-shipping',
    routes,
    admin,
    formatError: (_status, code, message) => ({ errors: [{ code: code.toUpperCase(), detail: message }] }),
    reset: () => {
      index = indexWorld(generateWorld());
    },
    onClose: () => webhooks.close(),
  });
}
