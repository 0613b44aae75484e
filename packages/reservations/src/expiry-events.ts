import { DEFAULT_KEY_PREFIX } from './redis-connection';

/**
 * The expiry event: a pending reservation the WMS never confirmed was released by the expiry
 * sweep, so its SKUs' available-to-promise went up. Appended in the same atomic step as the
 * release (the Lua script in Redis, the same synchronous step in process), one entry per
 * reservation, to a stream the hub's event bus reads like its own topics (entry field `payload`,
 * as packages/events writes them). The available-to-sell feeds follow it.
 */
export interface ReservationExpired {
  orderId: string;
  /** Every SKU the reservation held, distinct, sorted. */
  skus: string[];
  /** When the sweep released it (epoch ms). */
  at: number;
}

/** Entries the expiry stream keeps (XADD MAXLEN ~): a reader down longer than this many expiries resyncs. */
export const EXPIRY_STREAM_MAX_LENGTH = 10_000;

/** The Redis key of the expiry stream of stores with this key prefix. */
export function expiryStreamKey(keyPrefix: string = DEFAULT_KEY_PREFIX): string {
  return `${keyPrefix}reservations:expired`;
}

/** Where the in-process store appends its expiry events (the in-process event bus in all-in-one). */
export interface ExpiryEventSink {
  append(stream: string, payload: string): Promise<unknown>;
}

export function encodeReservationExpired(event: ReservationExpired): string {
  return JSON.stringify({ orderId: event.orderId, skus: event.skus, at: event.at });
}

/** Reads an expiry entry's payload; throws naming what is wrong. */
export function decodeReservationExpired(payload: string): ReservationExpired {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (error) {
    throw new Error(`reservation expiry event is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const event = value as Partial<ReservationExpired> | null;
  // cjson encodes an empty Lua table as {}; a reservation always holds at least one SKU.
  if (typeof event?.orderId !== 'string' || !Array.isArray(event.skus) || !event.skus.every((sku) => typeof sku === 'string') || typeof event.at !== 'number' || !Number.isFinite(event.at)) {
    throw new Error(`not a reservation expiry event (orderId, skus, at): ${payload.slice(0, 200)}`);
  }
  return { orderId: event.orderId, skus: event.skus, at: event.at };
}
