import type { CommerceConnector, ErpConnector, WmsConnector } from '@crossdock/connectors';
import type { Poster, PostingTarget, Withdrawal } from '@crossdock/orders';
import type { StockReservations } from '@crossdock/reservations';
import { toCanonicalOrder } from './canonical-order';

/** What the posters reach. */
export interface PosterDependencies {
  erp: ErpConnector;
  wms: WmsConnector;
  commerce: CommerceConnector;
  reservations: StockReservations;
  /** A reservation had expired before the WMS took the allocation (the WMS's stock is the truth then). */
  onUnconfirmed?: (orderId: string) => void;
}

/** The outbox's posters and their withdrawals, by backend. */
export interface OrderPosters {
  posters: Record<PostingTarget, Poster>;
  withdrawals: Record<PostingTarget, Withdrawal>;
}

/**
 * How an accepted order reaches each backend, and how it is taken back. Each is idempotent on
 * the order id (the backends dedupe), so a retry after a lost answer posts nothing twice.
 *
 * Cancellation: an order already CANCELLED when its posting is attempted is not posted (it
 * reports POSTED with no reference: nothing is left to post). An order cancelled WHILE its
 * posting was in flight is withdrawn from that backend right after (the outbox sees it when it
 * records the outcome), so the cancel and the post can race in any order and the backend still
 * ends up cancelled.
 */
export function createPosters(deps: PosterDependencies): OrderPosters {
  return {
    posters: {
      erp: async (order) => {
        if (order.status === 'CANCELLED') return null;
        const { erpOrderNumber } = await deps.erp.createSalesOrder({
          orderId: order.id,
          customerId: order.customerId,
          channel: order.channel,
          externalRef: order.externalRef,
          placedAt: order.placedAt,
          lines: order.lines,
        });
        return erpOrderNumber;
      },
      wms: async (order) => {
        if (order.status === 'CANCELLED') return null;
        await deps.wms.allocate(order.id, order.allocations, { customerId: order.customerId, channel: order.channel });
        // The WMS holds the stock now; the hub's pending reservation becomes part of its reserved.
        if (!(await deps.reservations.confirm(order.id))) deps.onUnconfirmed?.(order.id);
        return null;
      },
      commerce: async (order) => {
        if (order.status === 'CANCELLED') return null;
        await deps.commerce.createOrder(toCanonicalOrder(order));
        return null;
      },
    },
    withdrawals: {
      erp: (cancelled) => deps.erp.cancelSalesOrder(cancelled.id, cancelled.cancelReason),
      wms: async (cancelled) => {
        await deps.wms.cancelAllocation(cancelled.id);
        await deps.reservations.release(cancelled.id);
      },
      commerce: (cancelled) => deps.commerce.cancelOrder(cancelled.id, cancelled.cancelReason),
    },
  };
}
