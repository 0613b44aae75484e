import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { isOutage } from '@crossdock/connectors';
import { decodeEvent, startGroupConsumer, streamKey, type OrderStatusChangedEvent, type RunningGroupConsumer, type ShipmentUpdatedEvent, type StreamEntry, type StreamFeed } from '@crossdock/events';
import type { Order, OrderStatus } from '@crossdock/model';
import { GraphQLError } from 'graphql';
import { eventPublisher, mayRead, openEventFeed, passesFilter, requireFeed, requireScope, subscribeToEvents, type Logger, type SubgraphEvents } from '@crossdock/service';
import type { SubscriptionResolvers } from './__generated__/resolvers-types';
import { progressedStatus, type ParcelStatus } from './order-progress';

/** The consumer group every commerce replica joins on the shipments stream: each scan is turned into order status once. */
export const ORDER_STATUS_GROUP = 'commerce-order-status';

/** What moved an order's status. */
export type StatusCause = OrderStatusChangedEvent['cause'];

/** The commerce subgraph's part of the event bus. */
export interface OrderEvents {
  /** The orders stream's live reader, for orderStatusChanged. */
  feed: StreamFeed;
  /** Appends an `order.status-changed` event; a refused one is recorded in the exception store. */
  statusChanged(order: Order, previousStatus: OrderStatus | null, cause: StatusCause): Promise<void>;
  close(): Promise<void>;
}

export interface OrderEventsOptions {
  events: SubgraphEvents;
  logger: Logger;
  /** Reads an order as the hub knows it now (the platform's or the hub's order store), with no caller restriction. */
  orderById: (id: string) => Promise<Order | null>;
}

/**
 * Order status events come from commerce, the owner of the order, whatever moved it:
 * placeOrder and cancelOrder publish directly; a carrier scan reaches commerce as a
 * `shipment.updated` event on the shipments stream, which a consumer group shared by every
 * commerce replica turns into the order's new status (each scan once among the replicas). The
 * order's status follows from all of its parcels, which the shipping subgraph puts into the
 * scan's event, so commerce never calls the carrier.
 */
export async function startOrderEvents(options: OrderEventsOptions): Promise<OrderEvents> {
  const { events, logger } = options;
  const publisher = eventPublisher(events, logger);
  const statusChanged = async (order: Order, previousStatus: OrderStatus | null, cause: StatusCause) => {
    await publisher.publish('orders', { type: 'order.status-changed', order, previousStatus, cause, at: new Date().toISOString() });
  };
  const feed = openEventFeed(events, 'orders', logger);
  let consumer: RunningGroupConsumer;
  try {
    consumer = await startGroupConsumer(events.streams, {
      stream: streamKey('shipments', events.keyPrefix),
      group: ORDER_STATUS_GROUP,
      consumer: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
      handle: (entry) => orderStatusFromScan(entry, options.orderById, statusChanged),
      onFailure: (entry, error) => recordUnprocessedScan(entry, error, options),
      onReadError: (error) => logger.warn({ err: error }, 'reading the shipments stream failed; retrying'),
    });
  } catch (error) {
    feed.close();
    throw error;
  }
  return {
    feed,
    statusChanged,
    close: async () => {
      await consumer.stop();
      feed.close();
    },
  };
}

/** One scan: publishes the order's new status when the scan moved it, else nothing. */
async function orderStatusFromScan(
  entry: StreamEntry,
  orderById: (id: string) => Promise<Order | null>,
  statusChanged: OrderEvents['statusChanged'],
): Promise<void> {
  const event = decodeEvent(entry.payload);
  if (event.type !== 'shipment.updated' || event.orderShipments === null) return;
  const order = await orderById(event.shipment.orderId);
  // A parcel for an order the hub does not know (another system's): nothing of ours moved.
  if (order === null) return;
  const before = progressedStatus(order.status, parcelsBefore(event));
  const after = progressedStatus(order.status, event.orderShipments);
  if (after === before) return;
  await statusChanged({ ...order, status: after }, before, { shipmentId: event.shipment.id });
}

/** The order's parcels as they stood before this scan: the scanned one at its previous milestone, or not yet there. */
function parcelsBefore(event: ShipmentUpdatedEvent): ParcelStatus[] {
  const others = (event.orderShipments ?? []).filter((p) => p.id !== event.shipment.id);
  const previous = event.shipment.events.at(-2)?.status;
  return previous === undefined ? others : [...others, { id: event.shipment.id, status: previous }];
}

/**
 * A scan that could not be turned into order status. While the order's source is down the scan
 * stays unacknowledged and is tried again (throwing here); anything else (an entry that is not a
 * canonical event) goes to the exception store with the entry verbatim and is acknowledged.
 */
async function recordUnprocessedScan(entry: StreamEntry, error: unknown, options: OrderEventsOptions): Promise<void> {
  if (isOutage(error) || (error instanceof GraphQLError && (isOutage(error.originalError) || error.extensions.code === 'BACKEND_UNAVAILABLE'))) throw error;
  options.logger.error({ err: error, entry: entry.id }, 'a shipment event could not be turned into order status');
  if (!options.events.exceptions) return;
  await options.events.exceptions.record({
    kind: 'event-publish',
    subject: `order-status-from-scan:${entry.id}`,
    reason: `order status from shipment event ${entry.id}: ${error instanceof Error ? error.message : String(error)}`,
    rawPayload: entry.payload,
  });
}

/**
 * `orderStatusChanged`: orders as their status moves. Row-level rules at the source: a customer
 * or channel token gets only its own orders' events.
 */
export const orderStatusSubscription: SubscriptionResolvers = {
  orderStatusChanged: {
    subscribe: (_root, { orderId, after }, { identity, orderEvents }) => {
      requireScope(identity, 'orders:read');
      return subscribeToEvents({
        field: 'orderStatusChanged',
        feed: requireFeed(orderEvents?.feed ?? null),
        after,
        select: (event) => (event.type === 'order.status-changed' && passesFilter(orderId, event.order.id) && mayRead(identity, event.order) ? event.order : null),
      });
    },
  },
};
