import type { Shipment, ShipmentStatus, TrackingEvent } from '@crossdock/model';
import { groupInto, lookupAligned } from './batch';
import { JsonHttpClient, type ConnectorOptions, type JsonTransport } from './http-client';
import type { ShippingConnector } from './ports';
import { ResponseReader, type JsonObject } from './response-reader';

/** The carrier's two-letter status codes. */
const STATUS_CODES: Record<string, ShipmentStatus> = {
  LC: 'LABEL_CREATED',
  PU: 'PICKED_UP',
  IT: 'IN_TRANSIT',
  OD: 'OUT_FOR_DELIVERY',
  DL: 'DELIVERED',
  EX: 'EXCEPTION',
  RT: 'RETURNED',
};

/**
 * Reference types the shipper prints on a label. The hub's labels carry the consignee's customer
 * number and the order's sales channel, so the carrier's own record says whose parcel it is, and
 * the warehouse it left from, so it says which part of the order it holds.
 */
const CUSTOMER_REFERENCE = 'CUSTOMER_NUMBER';
const CHANNEL_REFERENCE = 'SALES_CHANNEL';
/** The warehouse that shipped the parcel, as the WMS names it. */
const SHIP_FROM_REFERENCE = 'SHIP_FROM';

/** Reads the carrier's camelCase shipments; scan times carry the local offset of the scan. */
class CarrierReader extends ResponseReader {
  status(parent: JsonObject, what: string): ShipmentStatus {
    return this.mapped(STATUS_CODES, this.string(parent, 'statusCode', what), `${what} statusCode`);
  }

  shipment(s: JsonObject): Shipment {
    const estimated = this.nullableString(s, 'estimatedDeliveryAt', 'shipment');
    const references = this.references(s);
    return {
      id: this.string(s, 'shipmentId', 'shipment'),
      orderId: this.string(s, 'orderReference', 'shipment'),
      customerId: references.get(CUSTOMER_REFERENCE) ?? null,
      channel: references.get(CHANNEL_REFERENCE) ?? null,
      shipFromWarehouseId: references.get(SHIP_FROM_REFERENCE) ?? null,
      carrier: this.string(this.object(s.carrier, 'shipment.carrier'), 'name', 'shipment.carrier'),
      trackingNumber: this.string(s, 'trackingNumber', 'shipment'),
      status: this.status(s, 'shipment'),
      events: this.events(this.objects(s, 'scans', 'shipment')),
      estimatedDelivery: estimated === null ? null : this.time(estimated, 'shipment.estimatedDeliveryAt'),
    };
  }

  /** The shipper's references printed on the label, by type; a parcel may carry none. */
  references(s: JsonObject): Map<string, string> {
    if (s.references === undefined || s.references === null) return new Map();
    return new Map(this.objects(s, 'references', 'shipment').map((r) => [this.string(r, 'type', 'shipment reference'), this.string(r, 'value', 'shipment reference')]));
  }

  /** The carrier lists scans newest first; the hub tells the story in order. */
  events(scans: JsonObject[]): TrackingEvent[] {
    const events = scans.map((scan) => ({
      at: this.time(this.string(scan, 'scannedAt', 'scan'), 'scan.scannedAt'),
      status: this.status(scan, 'scan'),
      location: this.nullableString(scan, 'location', 'scan'),
      description: this.nullableString(scan, 'description', 'scan'),
    }));
    return events.reverse().sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
}

/** The carrier (shipments and their tracking), through its batch search endpoint. */
export class ShippingHttpConnector implements ShippingConnector {
  private readonly http: JsonTransport;
  private readonly read = new CarrierReader('shipping');

  constructor(options: ConnectorOptions) {
    this.http = options.transport ?? new JsonHttpClient({ ...options, backend: 'shipping' });
  }

  shipmentsByIds(ids: readonly string[]): Promise<(Shipment | null)[]> {
    return lookupAligned(
      ids,
      async (chunk) => new Map((await this.search({ shipmentIds: chunk })).map((s) => [s.id, s])),
      () => null,
    );
  }

  shipmentsByOrderIds(orderIds: readonly string[]): Promise<Shipment[][]> {
    return lookupAligned(
      orderIds,
      async (chunk) => groupInto(await this.search({ orderReferences: chunk }), (s) => s.orderId),
      () => [],
    );
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async search(body: { shipmentIds: string[] } | { orderReferences: string[] }): Promise<Shipment[]> {
    // A search by POST only reads: safe to repeat.
    const response = await this.http.request({ method: 'POST', path: '/v1/shipments/search', body, safeToRetry: true });
    return this.read.objects(this.read.object(response.body, 'search'), 'results', 'search').map((s) => this.read.shipment(s));
  }
}

/** A tracking update the carrier pushes to its webhook, in the canonical model. */
export interface CarrierTrackingUpdate {
  /** The carrier's notice id: a redelivered notice carries the same one. */
  noticeId: string;
  /** The parcel after the scan, its scans oldest first. */
  shipment: Shipment;
}

/**
 * Reads the carrier's tracking notice (`{ eventType: "shipment.tracking_updated", eventId,
 * shipment }`, the shipment as its API renders it). Anything else throws BackendError
 * 'bad-response' naming the field: the webhook refuses it and the exception store keeps it.
 */
export function readCarrierTrackingUpdate(body: unknown): CarrierTrackingUpdate {
  const read = new CarrierReader('shipping');
  const notice = read.object(body, 'tracking notice');
  const type = read.string(notice, 'eventType', 'tracking notice');
  if (type !== 'shipment.tracking_updated') read.fail(`unknown tracking notice eventType "${type}"`);
  return {
    noticeId: read.string(notice, 'eventId', 'tracking notice'),
    shipment: read.shipment(read.object(notice.shipment, 'tracking notice.shipment')),
  };
}
