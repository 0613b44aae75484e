import type { CommerceConnector, ErpConnector, WmsConnector } from '@crossdock/connectors';
import type { OrderStore, PlacedOrder, Poster, PostingTarget } from '@crossdock/orders';
import type { StockReservations } from '@crossdock/reservations';
import { toCanonicalOrder } from './canonical-order';

/** What the posters reach. */
export interface PosterDependencies {
  erp: ErpConnector;
  wms: WmsConnector;
  commerce: CommerceConnector;
  reservations: StockReservations;
  orders: OrderStore;
  /** A reservation had expired before the WMS took the allocation (the WMS's stock is the truth then). */
  onUnconfirmed?: (orderId: string) => void;
}

/**
 * The outbox's posters: how an accepted order reaches each backend. Each is idempotent on the
 * order id (the backends dedupe), so a retry after a lost answer posts nothing twice.
 *
 * Cancellation: an order already CANCELLED when its posting is attempted is not posted (it
 * reports POSTED with no reference: nothing is left to post). An order cancelled WHILE its
 * posting was in flight is cancelled again in that backend right after, so the cancel and the
 * post can race in any order and the backend still ends up cancelled.
 */
export function createPosters(deps: PosterDependencies): Record<PostingTarget, Poster> {
  const cancelledMeanwhile = async (orderId: string): Promise<PlacedOrder | null> => {
    const [current] = await deps.orders.get([orderId]);
    return current?.status === 'CANCELLED' ? current : null;
  };
  return {
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
      const cancelled = await cancelledMeanwhile(order.id);
      if (cancelled) await deps.erp.cancelSalesOrder(order.id, cancelled.cancelReason);
      return erpOrderNumber;
    },
    wms: async (order) => {
      if (order.status === 'CANCELLED') return null;
      await deps.wms.allocate(order.id, order.allocations, { customerId: order.customerId, channel: order.channel });
      // The WMS holds the stock now; the hub's pending reservation becomes part of its reserved.
      if (!(await deps.reservations.confirm(order.id))) deps.onUnconfirmed?.(order.id);
      if (await cancelledMeanwhile(order.id)) {
        await deps.wms.cancelAllocation(order.id);
        await deps.reservations.release(order.id);
      }
      return null;
    },
    commerce: async (order) => {
      if (order.status === 'CANCELLED') return null;
      await deps.commerce.createOrder(toCanonicalOrder(order));
      const cancelled = await cancelledMeanwhile(order.id);
      if (cancelled) await deps.commerce.cancelOrder(order.id, cancelled.cancelReason);
      return null;
    },
  };
}
