import { OrderStoreUnavailableError } from '@crossdock/orders';
import { InvalidReservationInputError, StockNotLoadedError, UnexpectedReplyError } from '@crossdock/reservations';
import { OrderCaptureError } from './capture-types';

/**
 * The hub's order store could not be reached: a clear BACKEND_UNAVAILABLE for the client (the
 * store's own error, with the server address, stays in the cause for the logs). Anything else
 * is a bug and stays as it is.
 */
export function orderStoreFailure(error: unknown): unknown {
  if (!(error instanceof OrderStoreUnavailableError)) return error;
  return new OrderCaptureError('BACKEND_UNAVAILABLE', "The hub's order store is unavailable; try again shortly.", 'order-store', { cause: error });
}

/**
 * The reservation store (Redis) failed: unreachable, or the connection dropped mid-call. That is
 * TEMPORARILY_UNAVAILABLE, not a partial answer: reserving against anything but the shared ledger
 * could oversell, so the order is refused whole (a reservation whose reply was lost is released by
 * its hold expiry). Its own refusals of bad input and unreadable replies are bugs and stay as they
 * are; a SKU never loaded is the WMS's outage, reported as such.
 */
export function reservationStoreFailure(error: unknown, during: 'reserve' | 'release' = 'reserve'): unknown {
  if (error instanceof StockNotLoadedError) {
    return new OrderCaptureError('BACKEND_UNAVAILABLE', 'The WMS is unavailable and the stock of these SKUs is not known yet; try again shortly.', 'wms', { cause: error });
  }
  if (error instanceof InvalidReservationInputError || error instanceof UnexpectedReplyError || error instanceof OrderCaptureError) return error;
  const message =
    during === 'reserve'
      ? "The hub's reservation store (Redis) is unavailable, so stock cannot be reserved safely; the order was not placed and nothing was reserved. Try again shortly."
      : "The hub's reservation store (Redis) is unavailable, so the order's stock could not be released yet; repeat the request shortly to finish it.";
  return new OrderCaptureError('TEMPORARILY_UNAVAILABLE', message, 'reservation-store', { cause: error });
}
