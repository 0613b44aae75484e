import { readCarrierTrackingUpdate, type ShippingConnector } from '@crossdock/connectors';
import type { ShipmentUpdatedEvent } from '@crossdock/events';
import type { Shipment } from '@crossdock/model';
import {
  type Logger,
  mayRead,
  passesFilter,
  requireFeed,
  requireScope,
  startWebhookEvents,
  type SubgraphEvents,
  subscribeToEvents,
  type WebhookEvents,
} from '@crossdock/service';
import type { SubscriptionResolvers } from './__generated__/resolvers-types';

/** Where the carrier delivers its tracking notices (SIM_SHIPPING_WEBHOOK_URL points here). */
export const CARRIER_WEBHOOK_PATH = '/webhooks/carrier';

/** The shipping subgraph's part of the event bus: its webhook and the live reader of its stream. */
export type ShipmentEvents = WebhookEvents;

/**
 * The carrier's scans become `shipment.updated` events: the webhook verifies each notice
 * (X-Carrier-Signature), reads it in the canonical model, adds the status of every other parcel
 * of the order (from the carrier, so commerce can tell whether the order's status moved), and
 * appends it to the shipments stream; subscriptions read that stream.
 */
export function startShipmentEvents(events: SubgraphEvents | null | undefined, carrier: ShippingConnector, logger: Logger): ShipmentEvents {
  return startWebhookEvents(events, logger, {
    path: CARRIER_WEBHOOK_PATH,
    source: 'carrier',
    signatureHeader: 'X-Carrier-Signature',
    topic: 'shipments',
    toEvent: async (notice): Promise<ShipmentUpdatedEvent> => {
      const update = readCarrierTrackingUpdate(notice);
      return {
        type: 'shipment.updated',
        noticeId: update.noticeId,
        shipment: update.shipment,
        orderShipments: await orderShipmentsAfter(update.shipment, carrier, logger),
        at: new Date().toISOString(),
      };
    },
  });
}

/**
 * Every parcel of the scanned shipment's order with its status, the scanned one as the notice
 * says (the carrier's search may lag its own webhook). Null when the carrier cannot be asked: the
 * scan is still published, and commerce leaves the order's status alone rather than guess.
 */
async function orderShipmentsAfter(scanned: Shipment, carrier: ShippingConnector, logger: Logger): Promise<ShipmentUpdatedEvent['orderShipments']> {
  try {
    const [shipments = []] = await carrier.shipmentsByOrderIds([scanned.orderId]);
    const others = shipments.filter((s) => s.id !== scanned.id).map((s) => ({ id: s.id, status: s.status }));
    return [...others, { id: scanned.id, status: scanned.status }].sort((a, b) => (a.id < b.id ? -1 : 1));
  } catch (error) {
    logger.warn({ err: error, shipmentId: scanned.id, orderId: scanned.orderId }, 'the order\'s other shipments could not be read; publishing the scan without them');
    return null;
  }
}

/**
 * `shipmentUpdated`: parcels as the carrier scans them. Row-level rules at the source: a
 * customer or channel token gets only its own parcels' events, by the references on the label.
 */
export const shipmentSubscription: SubscriptionResolvers = {
  shipmentUpdated: {
    subscribe: (_root, { orderId, shipmentId, after }, { identity, shipmentFeed }) => {
      requireScope(identity, 'shipments:read');
      return subscribeToEvents({
        field: 'shipmentUpdated',
        feed: requireFeed(shipmentFeed),
        after,
        select: (event) =>
          event.type === 'shipment.updated' &&
          passesFilter(orderId, event.shipment.orderId) &&
          passesFilter(shipmentId, event.shipment.id) &&
          mayRead(identity, event.shipment)
            ? event.shipment
            : null,
      });
    },
  },
};
