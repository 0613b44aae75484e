import { OrderStoreUnavailableError } from '@crossdock/orders';
import { OrderCaptureError } from './capture-types';

/** A line for the service's logger (the subgraph passes its pino logger through this). */
export interface CaptureLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  orderId?: string;
  /** The backend a posting goes to, for outbox lines. */
  target?: string;
  error?: unknown;
}

/** Where order capture reports what an operator should know. */
export type CaptureLog = (entry: CaptureLogEntry) => void;

/**
 * The hub's order store could not be reached: a clear BACKEND_UNAVAILABLE for the client (the
 * store's own error, with the server address, stays in the cause for the logs). Anything else
 * is a bug and stays as it is.
 */
export function orderStoreFailure(error: unknown): unknown {
  if (!(error instanceof OrderStoreUnavailableError)) return error;
  return new OrderCaptureError('BACKEND_UNAVAILABLE', "The hub's order store is unavailable; try again shortly.", 'order-store', { cause: error });
}
