import type { Identity } from '@crossdock/auth';
import { BackendError, isOutage, type CommerceConnector, type ErpConnector, type WmsConnector } from '@crossdock/connectors';
import type { FulfillmentStatus, OrderStatus } from '@crossdock/model';
import { isHubOrderId, type OrderStore, type PlacedOrder } from '@crossdock/orders';
import type { StockReservations } from '@crossdock/reservations';
import { coversOrder, requireOrdersWrite } from './caller-access';
import type { CaptureLog } from './capture-log';
import { orderStoreFailure, reservationStoreFailure } from './store-failures';
import { OrderCaptureError, userError, type CancelOrderResult } from './capture-types';

/** What cancellation reaches. */
export interface CancellationDependencies {
  erp: ErpConnector;
  wms: WmsConnector;
  commerce: CommerceConnector;
  reservations: StockReservations;
  orders: OrderStore;
  log: CaptureLog;
}

/** Once goods have left, cancelling is a return, not a cancellation. */
const SHIPPED: ReadonlySet<OrderStatus> = new Set(['PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED']);
/** Past ALLOCATED the goods are on the floor: the WMS refuses to void, and so do we. */
const ON_THE_FLOOR: ReadonlySet<FulfillmentStatus> = new Set(['PICKING', 'PACKED', 'PARTIALLY_SHIPPED', 'SHIPPED']);

/** A backend refusing to cancel for a business reason; becomes NOT_CANCELLABLE. */
class CancelRefused extends Error {}

/**
 * cancelOrder. Every backend step is idempotent, so the rule for failures is simple: a backend
 * down answers BACKEND_UNAVAILABLE and the caller repeats cancelOrder, which re-drives every step.
 *
 * - Hub orders (ids `ORD-H…`): the store is marked CANCELLED first, so the outbox stops posting
 *   the order (and a posting in flight undoes itself, see order-posters.ts); then the WMS
 *   allocation is voided, the reservation released, and the ERP and platform orders cancelled.
 *   A repeat on a CANCELLED hub order re-drives these steps, so what an outage left undone is
 *   finished by the repeat; with every backend up a repeat changes nothing.
 * - Platform orders (seeded in the commerce platform): WMS, then ERP, then the platform itself
 *   last, whose status is the order's record, so an order whose cancel failed half-way still reads
 *   as not cancelled and the repeat finishes it.
 * Before anything changes, the WMS fulfilment and ERP invoices are read: an order being picked,
 * shipped or invoiced is NOT_CANCELLABLE with nothing touched.
 */
export class OrderCancellation {
  constructor(private readonly deps: CancellationDependencies) {}

  async cancel(identity: Identity | null, orderId: string, reason: string | null): Promise<CancelOrderResult> {
    requireOrdersWrite(identity);
    try {
      return isHubOrderId(orderId) ? await this.cancelHubOrder(identity, orderId, reason) : await this.cancelPlatformOrder(identity, orderId, reason);
    } catch (error) {
      if (error instanceof CancelRefused) return notCancellable(error.message);
      throw error;
    }
  }

  private async cancelHubOrder(identity: Identity | null, orderId: string, reason: string | null): Promise<CancelOrderResult> {
    const order = await this.stored(orderId);
    if (!order || !coversOrder(identity, order)) return notFound(orderId);
    if (order.status !== 'CANCELLED') {
      if (SHIPPED.has(order.status)) return notCancellable(`order ${orderId} is ${order.status} and can no longer be cancelled`);
      await this.checkNotStarted(orderId);
      await this.deps.orders.updateStatus(orderId, 'CANCELLED', { at: new Date(), reason }).catch((error: unknown) => Promise.reject(orderStoreFailure(error)));
      try {
        await this.call('wms', () => this.deps.wms.cancelAllocation(orderId));
      } catch (error) {
        // Picking started between the check and the void: the order stands after all.
        if (error instanceof CancelRefused) await this.deps.orders.updateStatus(orderId, order.status);
        throw error;
      }
    } else {
      await this.call('wms', () => this.deps.wms.cancelAllocation(orderId));
    }
    await this.deps.reservations.release(orderId).catch((error: unknown) => Promise.reject(reservationStoreFailure(error, 'release')));
    const cancelled = (await this.stored(orderId)) ?? order;
    await Promise.all([
      this.call('erp', () => this.deps.erp.cancelSalesOrder(orderId, cancelled.cancelReason)),
      this.call('commerce', () => this.cancelInPlatform(cancelled)),
    ]);
    return { orderId, order: cancelled, errors: [] };
  }

  private async cancelPlatformOrder(identity: Identity | null, orderId: string, reason: string | null): Promise<CancelOrderResult> {
    const [order] = await this.call('commerce', () => this.deps.commerce.ordersByIds([orderId]));
    if (!order || !coversOrder(identity, order)) return notFound(orderId);
    if (order.status === 'CANCELLED') return { orderId, order: null, errors: [] };
    if (SHIPPED.has(order.status)) return notCancellable(`order ${orderId} is ${order.status} and can no longer be cancelled`);
    await this.checkNotStarted(orderId);
    // Voiding the allocation gives the order's stock back in the WMS (the hub ledger follows on its next refresh).
    await this.call('wms', () => this.deps.wms.cancelAllocation(orderId));
    await this.call('erp', () => this.deps.erp.cancelSalesOrder(orderId, reason));
    await this.call('commerce', () => this.deps.commerce.cancelOrder(orderId, reason));
    return { orderId, order: null, errors: [] };
  }

  /** Refuses (nothing changed yet) an order the WMS is picking or shipping, or the ERP invoiced. */
  private async checkNotStarted(orderId: string): Promise<void> {
    const [fulfillments, invoices] = await Promise.all([
      this.call('wms', () => this.deps.wms.fulfillmentsByOrderIds([orderId])),
      this.call('erp', () => this.deps.erp.invoicesByOrderIds([orderId])),
    ]);
    const fulfillment = fulfillments[0];
    if (fulfillment && ON_THE_FLOOR.has(fulfillment.status)) throw new CancelRefused(`order ${orderId} is already ${fulfillment.status} in the warehouse`);
    if ((invoices[0]?.length ?? 0) > 0) throw new CancelRefused(`order ${orderId} is already invoiced`);
  }

  /** A hub order reaches the platform through its commerce posting; one never posted has nothing to cancel. */
  private async cancelInPlatform(order: PlacedOrder): Promise<void> {
    try {
      await this.deps.commerce.cancelOrder(order.id, order.cancelReason);
    } catch (error) {
      const neverPosted = error instanceof BackendError && error.kind === 'client-error' && error.status === 404;
      if (!neverPosted) throw error;
    }
  }

  private async stored(orderId: string): Promise<PlacedOrder | null> {
    const [order] = await this.deps.orders.get([orderId]).catch((error: unknown) => Promise.reject(orderStoreFailure(error)));
    return order ?? null;
  }

  /** One backend call: an outage becomes BACKEND_UNAVAILABLE, a business refusal NOT_CANCELLABLE. */
  private async call<T>(backend: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isOutage(error)) {
        this.deps.log({ level: 'warn', message: `cancel: the ${backend} backend is unavailable; the caller's repeat finishes the cancellation`, error });
        throw new OrderCaptureError('BACKEND_UNAVAILABLE', `The ${backend} system is unavailable, so the cancellation is not complete; repeat cancelOrder shortly.`, backend, { cause: error });
      }
      if (error instanceof BackendError && error.kind === 'client-error' && (error.status === 409 || error.status === 422)) {
        throw new CancelRefused(`the ${backend} system refuses the cancellation: ${error.message}`);
      }
      throw error;
    }
  }
}

function notFound(orderId: string): CancelOrderResult {
  return { orderId: null, order: null, errors: [userError('NOT_FOUND', `order ${orderId} does not exist`, ['id'])] };
}

function notCancellable(message: string): CancelOrderResult {
  return { orderId: null, order: null, errors: [userError('NOT_CANCELLABLE', message, ['id'])] };
}
