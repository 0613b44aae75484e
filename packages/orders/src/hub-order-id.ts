import { randomBytes } from 'node:crypto';

/**
 * Orders the hub captures itself (placeOrder, EDI, store webhooks) get ids with this prefix, so a
 * subgraph can tell at a glance whether the hub's order store knows an order without asking it:
 * the channels' own orders live in the commerce platform and are numbered there.
 */
export const HUB_ORDER_ID_PREFIX = 'ORD-H';

/**
 * A new hub order id: time-ordered (base-36 milliseconds, so ids sort roughly by placement) plus
 * 64 random bits, so replicas never collide without coordinating.
 */
export function newHubOrderId(now: Date = new Date()): string {
  const time = now.getTime().toString(36).toUpperCase().padStart(9, '0');
  return `${HUB_ORDER_ID_PREFIX}${time}${randomBytes(8).toString('hex').toUpperCase()}`;
}

export function isHubOrderId(id: string): boolean {
  return id.startsWith(HUB_ORDER_ID_PREFIX);
}
