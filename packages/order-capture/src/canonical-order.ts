import type { Order } from '@crossdock/model';
import type { PlacedOrder } from '@crossdock/orders';

/** A hub-captured order in the canonical model, as the commerce subgraph and platform see it. */
export function toCanonicalOrder(placed: PlacedOrder): Order {
  return {
    id: placed.id,
    channel: placed.channel,
    externalRef: placed.externalRef,
    status: placed.status,
    placedAt: placed.placedAt,
    customerId: placed.customerId,
    lines: placed.lines.map((line) => ({ orderId: placed.id, lineNumber: line.lineNumber, sku: line.sku, quantity: line.quantity })),
  };
}
