import { readWmsStockMovement } from '@crossdock/connectors';
import {
  type Logger,
  passesFilter,
  requireFeed,
  requireScope,
  startWebhookEvents,
  type SubgraphEvents,
  subscribeToEvents,
  type WebhookEvents,
} from '@crossdock/service';
import type { InventoryPosition } from '@crossdock/model';
import type { SubscriptionResolvers } from './__generated__/resolvers-types';
import type { WmsContext } from './context';
import { NewestMovements } from './movement-order';

/** Where the WMS delivers its stock-movement notices (SIM_WMS_WEBHOOK_URL points here). */
export const WMS_WEBHOOK_PATH = '/webhooks/wms';

/** The WMS subgraph's part of the event bus: its webhook and the live reader of its stream. */
export type InventoryEvents = WebhookEvents;

/**
 * The WMS's stock movements become `inventory.changed` events: the webhook verifies each notice
 * (X-WMS-Signature), reads it in the canonical model and appends it to the inventory stream;
 * subscriptions read that stream. Without an event bus there is neither.
 */
export function startInventoryEvents(events: SubgraphEvents | null | undefined, logger: Logger): InventoryEvents {
  return startWebhookEvents(events, logger, {
    path: WMS_WEBHOOK_PATH,
    source: 'wms',
    signatureHeader: 'X-WMS-Signature',
    topic: 'inventory',
    toEvent: (notice) => {
      const movement = readWmsStockMovement(notice);
      return {
        type: 'inventory.changed',
        movementId: movement.movementId,
        sequence: movement.sequence,
        movementType: movement.movementType,
        delta: movement.delta,
        reservedDelta: movement.reservedDelta,
        orderId: movement.orderId,
        position: movement.position,
        at: new Date().toISOString(),
      };
    },
  });
}

/**
 * `inventoryChanged`: stock positions as the WMS reports them moving, with the hub's pending
 * reservations counted in as queries count them. Stock is not customer data, so every caller
 * with inventory:read sees every position its filters ask for. A notice that a newer one of the
 * same position overtook on the way from the WMS is not sent: a subscriber never gets a position
 * older than one it already has (NewestMovements).
 */
export const inventorySubscription: SubscriptionResolvers = {
  inventoryChanged: {
    subscribe: (_root, { skus, warehouseIds, after }, { identity, inventoryFeed }) => {
      requireScope(identity, 'inventory:read');
      const newest = new NewestMovements();
      return subscribeToEvents({
        field: 'inventoryChanged',
        feed: requireFeed(inventoryFeed),
        after,
        select: (event) =>
          event.type === 'inventory.changed' &&
          passesFilter(skus, event.position.sku) &&
          passesFilter(warehouseIds, event.position.warehouseId) &&
          newest.accept(event.position.sku, event.position.warehouseId, event.sequence)
            ? event.position
            : null,
      });
    },
    // Each event in a fresh context: the hub's reservations as they stand when it is sent.
    resolve: (event: { inventoryChanged: InventoryPosition }, _args: unknown, context: WmsContext) => context.withPendingReservations(event.inventoryChanged),
  },
};
