import type { TrackingEvent } from '@crossdock/model';
import type { Resolvers } from './__generated__/resolvers-types';
import { shipmentSubscription } from './shipment-events';

/**
 * The shipping subgraph's resolvers: shipments, their tracking history, and shipments per order.
 * The loaders already leave out shipments outside the caller's customer or channel.
 */
export const resolvers: Resolvers = {
  Subscription: shipmentSubscription,
  Query: {
    shipment: (_root, { id }, { loaders }) => loaders.shipmentById.load(id),
  },
  Shipment: {
    __resolveReference: ({ id }, { loaders }) => loaders.shipmentById.load(id),
    order: (shipment) => ({ id: shipment.orderId }),
    events: (shipment) => oldestFirst(shipment.events),
  },
  Order: {
    // Orders are commerce's; shipping cannot tell an unknown order from one that has not shipped
    // yet, so every reference resolves and an unknown one simply has no shipments.
    __resolveReference: ({ id }) => ({ id }),
    shipments: (order, _args, { loaders }) => loaders.shipmentsByOrderId.load(order.id),
  },
};

/** The schema promises oldest first; the connector port promises no order, so sort here. */
function oldestFirst(events: readonly TrackingEvent[]): TrackingEvent[] {
  return [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
