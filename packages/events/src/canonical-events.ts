import { ORDER_STATUSES, SHIPMENT_STATUSES, type InventoryPosition, type Order, type OrderStatus, type Shipment, type ShipmentStatus } from '@crossdock/model';
import { z } from 'zod';

/**
 * The hub's canonical events: what the owning subgraph appends to its stream once a backend's
 * notice is verified and translated. Each carries the whole entity in the canonical model (with
 * its @key fields and its owner, for row-level access at the source), so a subscriber needs no
 * backend call to serve the event.
 */

/** The topics, one stream each, and who appends to it. */
export const EVENT_TOPICS = {
  /** wms: every stock movement the WMS reports. */
  inventory: 'inventory',
  /** shipping: every tracking scan the carrier reports. */
  shipments: 'shipments',
  /** commerce: an order's status moved (placed, cancelled, shipped, delivered). */
  orders: 'orders',
} as const;
export type EventTopic = keyof typeof EVENT_TOPICS;

/** The Redis key of a topic's stream, e.g. `crossdock:events:inventory`. */
export function streamKey(topic: EventTopic, keyPrefix = 'crossdock:'): string {
  return `${keyPrefix}events:${EVENT_TOPICS[topic]}`;
}

const time = z.iso.datetime({ offset: true });

const inventoryPosition = z.object({
  sku: z.string(),
  warehouseId: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  safetyStock: z.number().int(),
  updatedAt: time,
}) satisfies z.ZodType<InventoryPosition>;

const shipmentStatus = z.enum(SHIPMENT_STATUSES);
const shipment = z.object({
  id: z.string(),
  orderId: z.string(),
  customerId: z.string().nullable(),
  channel: z.string().nullable(),
  // Events appended before shipments carried it read as unknown.
  shipFromWarehouseId: z.string().nullable().default(null),
  carrier: z.string(),
  trackingNumber: z.string(),
  status: shipmentStatus,
  events: z.array(z.object({ at: time, status: shipmentStatus, location: z.string().nullable(), description: z.string().nullable() })),
  estimatedDelivery: time.nullable(),
}) satisfies z.ZodType<Shipment>;

const orderStatus = z.enum(ORDER_STATUSES);
const order = z.object({
  id: z.string(),
  channel: z.string(),
  externalRef: z.string().nullable(),
  status: orderStatus,
  placedAt: time,
  customerId: z.string(),
  lines: z.array(z.object({ orderId: z.string(), lineNumber: z.number().int(), sku: z.string(), quantity: z.number().int() })),
}) satisfies z.ZodType<Order>;

const inventoryChanged = z.object({
  type: z.literal('inventory.changed'),
  /** The WMS's movement id: the same movement delivered twice is the same event. */
  movementId: z.string(),
  /** The WMS's number for the movement, growing with every movement; null (or absent, in events written before it existed) when the WMS sends none. */
  sequence: z.number().int().nullish(),
  movementType: z.enum(['ADJUST', 'RESERVE', 'RELEASE']),
  /** Change of on hand. */
  delta: z.number().int(),
  reservedDelta: z.number().int(),
  orderId: z.string().nullable(),
  position: inventoryPosition,
  at: time,
});

const shipmentUpdated = z.object({
  type: z.literal('shipment.updated'),
  /** The carrier's notice id. */
  noticeId: z.string(),
  shipment,
  /** Every shipment of the order as the carrier reported them with this scan (the order's status follows from them); null when the carrier could not be asked. */
  orderShipments: z.array(z.object({ id: z.string(), status: shipmentStatus })).nullable(),
  at: time,
});

const orderStatusChanged = z.object({
  type: z.literal('order.status-changed'),
  order,
  previousStatus: orderStatus.nullable(),
  /** What moved it: placeOrder, cancelOrder, or a carrier scan of one of its shipments (its id). */
  cause: z.union([z.literal('placed'), z.literal('cancelled'), z.object({ shipmentId: z.string() })]),
  at: time,
});

const hubEvent = z.discriminatedUnion('type', [inventoryChanged, shipmentUpdated, orderStatusChanged]);

export type InventoryChangedEvent = z.infer<typeof inventoryChanged>;
export type ShipmentUpdatedEvent = z.infer<typeof shipmentUpdated>;
export type OrderStatusChangedEvent = z.infer<typeof orderStatusChanged>;
export type HubEvent = z.infer<typeof hubEvent>;
export type { OrderStatus, ShipmentStatus };

/**
 * The id the backend gave the notice an event was read from (the WMS's movement, the carrier's
 * notice): a notice delivered twice is the same event. Undefined for events the hub makes itself.
 */
export function backendNoticeId(event: HubEvent): string | undefined {
  switch (event.type) {
    case 'inventory.changed':
      return `${event.type}:${event.movementId}`;
    case 'shipment.updated':
      return `${event.type}:${event.noticeId}`;
    case 'order.status-changed':
      return undefined;
  }
}

/** An entry the hub cannot read as a canonical event (written by a different version, or by hand). */
export class MalformedEventError extends Error {
  override name = 'MalformedEventError';
}

export function encodeEvent(event: HubEvent): string {
  return JSON.stringify(hubEvent.parse(event));
}

/** Reads a stream entry's payload; throws MalformedEventError naming what is wrong. */
export function decodeEvent(payload: string): HubEvent {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (error) {
    throw new MalformedEventError(`event is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = hubEvent.safeParse(value);
  if (!result.success) throw new MalformedEventError(`not a canonical event: ${z.prettifyError(result.error)}`);
  return result.data;
}
