import type { Allocation } from '@crossdock/model';
import type { LineShortage, Reservation, StaleSku } from './ports';

/**
 * Runtime checks for what Redis and our Lua scripts answer. node-redis types script replies as
 * a union of everything Redis can say, so each reply is narrowed here instead of cast.
 */

export class UnexpectedReplyError extends Error {
  override name = 'UnexpectedReplyError';
}

function unexpected(what: string, value: unknown): never {
  throw new UnexpectedReplyError(`unexpected Redis reply for ${what}: ${JSON.stringify(value)}`);
}

export function replyArray(value: unknown, what: string): unknown[] {
  return Array.isArray(value) ? value : unexpected(what, value);
}

export function replyString(value: unknown, what: string): string {
  return typeof value === 'string' ? value : unexpected(what, value);
}

export function replyInteger(value: unknown, what: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : unexpected(what, value);
}

/** A hash as HGETALL returns it over RESP2. */
export function replyHash(value: unknown, what: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) unexpected(what, value);
  const hash: Record<string, string> = {};
  for (const [field, v] of Object.entries(value)) hash[field] = replyString(v, what);
  return hash;
}

function record(value: unknown, what: string): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : unexpected(what, value);
}

/** The allocations a script stored as JSON. */
export function parseAllocations(json: unknown): Allocation[] {
  const parsed: unknown = JSON.parse(replyString(json, 'allocations'));
  return replyArray(parsed, 'allocations').map((item) => {
    const a = record(item, 'allocation');
    return {
      warehouseId: replyString(a.warehouseId, 'allocation.warehouseId'),
      sku: replyString(a.sku, 'allocation.sku'),
      quantity: replyInteger(a.quantity, 'allocation.quantity'),
    };
  });
}

/** Shortages the reserve script encoded as [[lineNumber, sku, requested, available]]. */
export function parseShortages(json: unknown): LineShortage[] {
  const parsed: unknown = JSON.parse(replyString(json, 'shortages'));
  return replyArray(parsed, 'shortages').map((item) => {
    const [lineNumber, sku, requested, available] = replyArray(item, 'shortage');
    return {
      lineNumber: replyInteger(lineNumber, 'shortage.lineNumber'),
      sku: replyString(sku, 'shortage.sku'),
      requested: replyInteger(requested, 'shortage.requested'),
      available: replyInteger(available, 'shortage.available'),
    };
  });
}

/** The reserve script's stale SKUs: [[sku, version]], version -1 for a SKU not in the ledger. */
export function parseStaleSkus(json: unknown): StaleSku[] {
  const parsed: unknown = JSON.parse(replyString(json, 'stale skus'));
  return replyArray(parsed, 'stale skus').map((item) => {
    const [sku, version] = replyArray(item, 'stale sku');
    const number = replyInteger(version, 'stale sku version');
    return { sku: replyString(sku, 'stale sku'), version: number < 0 ? null : number };
  });
}

export function parseStringList(json: unknown, what: string): string[] {
  const parsed: unknown = JSON.parse(replyString(json, what));
  return replyArray(parsed, what).map((item) => replyString(item, what));
}

/** A reservation from its hash fields. */
export function parseReservation(orderId: string, state: unknown, expiresAt: unknown, allocations: unknown): Reservation {
  if (state !== 'pending' && state !== 'confirmed') unexpected('reservation.state', state);
  return { orderId, state, expiresAt: replyInteger(expiresAt, 'reservation.expiresAt'), allocations: parseAllocations(allocations) };
}
