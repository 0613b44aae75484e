import { hasScope, type Identity } from '@crossdock/auth';
import { OrderCaptureError } from './capture-types';

/**
 * Placing and cancelling orders needs `orders:write` (CONTRACT.md, Auth). A null identity is the
 * all-in-one demo or an in-process test, where nothing signs identities: allowed.
 */
export function requireOrdersWrite(identity: Identity | null): void {
  if (identity !== null && !hasScope(identity, 'orders:write')) {
    throw new OrderCaptureError('FORBIDDEN', 'placing or cancelling orders needs the orders:write scope');
  }
}

/** Whether the caller's `customer_id`/`channel` restrictions cover an order (or an order to be). */
export function coversOrder(identity: Identity | null, order: { customerId: string; channel: string }): boolean {
  if (identity === null) return true;
  return (identity.customerId === null || identity.customerId === order.customerId) && (identity.channel === null || identity.channel === order.channel);
}
