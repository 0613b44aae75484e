import { InvalidReservationInputError } from './errors';

/** Shared by both IdempotencyStore adapters so they refuse the same inputs alike. */
export function validateIdempotencyKey(key: unknown): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidReservationInputError('idempotency key must be a non-empty string');
}

/** Leases and TTLs are whole milliseconds; 0 would mean "never expires" to Redis' SET PX. */
export function validateDuration(ms: unknown, what: string): void {
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new InvalidReservationInputError(`${what} must be a positive integer of milliseconds, got ${String(ms)}`);
  }
}
