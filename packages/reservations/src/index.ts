/**
 * Atomic stock reservations and idempotency keys for order capture: Redis (Lua) in production,
 * in-process substitutes for all-in-one mode, and the StockReservations service on top.
 */
export * from './ports';
export * from './errors';
export { MemoryReservationStore } from './memory-reservation-store';
export { RedisReservationStore } from './redis-reservation-store';
export { MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from './memory-idempotency-store';
export { RedisIdempotencyStore } from './redis-idempotency-store';
export { DEFAULT_KEY_PREFIX, type RedisStoreOptions } from './redis-connection';
export { UnexpectedReplyError } from './redis-replies';
export { decodeReservationExpired, encodeReservationExpired, expiryStreamKey, EXPIRY_STREAM_MAX_LENGTH, type ExpiryEventSink, type ReservationExpired } from './expiry-events';
export { StockReservations, type StockReservationsOptions } from './stock-reservations';
