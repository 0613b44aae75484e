import { observeExceptions } from '@crossdock/exceptions';
import type { OrderCapture } from '@crossdock/order-capture';
import type { PlacedOrder, PostingTarget } from '@crossdock/orders';
import { countException, observeErpPostingLag, observeOrderCycle, trackOutbox } from '@crossdock/telemetry';

/**
 * The order milestones the commerce subgraph sees as they happen: the WMS taking an order's
 * allocation is "allocated" (placed → allocated), the ERP taking its posting is the ERP posting
 * lag. Shipped and delivered are the carrier's milestones, timed where shipments are seen.
 */
export function observePostingMilestone(order: PlacedOrder, target: PostingTarget): void {
  const seconds = (Date.now() - Date.parse(order.placedAt)) / 1000;
  if (target === 'wms') observeOrderCycle(order.channel, 'placed_to_allocated', seconds);
  if (target === 'erp') observeErpPostingLag(order.channel, seconds);
}

/**
 * Connects this process's metrics to order capture: outbox depth and age from the order store at
 * each scrape, and every exception recorded by any store of the process counted by kind, channel
 * and warehouse. Returns the undo, for close().
 */
export function trackOrderCapture(capture: OrderCapture): () => void {
  trackOutbox(() => capture.orders.depth(new Date()));
  observeExceptions((exception) => countException(exception.kind, exception.channel, exception.warehouseId));
  return () => {
    trackOutbox(null);
    observeExceptions(null);
  };
}
