import { CHANNELS } from '@crossdock/model';
import { lineField, userError, type PlaceOrderRequest, type UserError } from './capture-types';

/** Longest idempotency key accepted; it becomes part of a Redis key and a stored document. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

const KNOWN_CHANNELS: ReadonlySet<string> = new Set(CHANNELS);

/** The idempotency key's own problems; checked before it is claimed, so a bad key is never stored. */
export function checkIdempotencyKey(key: string): UserError[] {
  if (key.trim().length === 0) return [userError('INVALID_IDEMPOTENCY_KEY', 'idempotencyKey must not be empty', ['idempotencyKey'])];
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return [userError('INVALID_IDEMPOTENCY_KEY', `idempotencyKey must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, ['idempotencyKey'])];
  }
  return [];
}

/** Limits on the shape of an order, from the capture policy. */
export interface ShapeLimits {
  maxQuantity: number;
  maxLines: number;
}

/**
 * Problems visible in the input alone: the channel, the number of lines, each quantity, empty
 * SKUs. Every problem is reported, not just the first, so a channel fixes them in one go.
 */
export function checkOrderShape(request: PlaceOrderRequest, limits: ShapeLimits): UserError[] {
  const errors: UserError[] = [];
  if (!KNOWN_CHANNELS.has(request.channel)) {
    errors.push(userError('UNKNOWN_CHANNEL', `channel "${request.channel}" is not one of ${CHANNELS.join(', ')}`, ['channel']));
  }
  if (request.lines.length === 0) errors.push(userError('INVALID_QUANTITY', 'an order needs at least one line', ['lines']));
  if (request.lines.length > limits.maxLines) {
    errors.push(userError('INVALID_QUANTITY', `an order has at most ${limits.maxLines} lines, got ${request.lines.length}`, ['lines']));
    // Per-line checks of a runaway order would only flood the answer.
    return errors;
  }
  request.lines.forEach((line, index) => {
    if (line.sku.trim().length === 0) errors.push(userError('UNKNOWN_SKU', 'sku must not be empty', lineField(index, 'sku')));
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      errors.push(userError('INVALID_QUANTITY', `quantity must be at least 1, got ${line.quantity}`, lineField(index, 'quantity')));
    } else if (line.quantity > limits.maxQuantity) {
      errors.push(userError('INVALID_QUANTITY', `quantity must be at most ${limits.maxQuantity}, got ${line.quantity}`, lineField(index, 'quantity')));
    }
  });
  return errors;
}
