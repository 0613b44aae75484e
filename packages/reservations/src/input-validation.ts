import { InvalidReservationInputError } from './errors';
import type { ReserveRequest, StockLevel } from './ports';

/**
 * Checks run in TypeScript before a store touches anything, so both adapters refuse the same
 * inputs with the same message and a Lua script never has to cope with a fractional quantity.
 */

const RULES = new Set(['single-warehouse-first', 'priority-split']);

function fail(message: string): never {
  throw new InvalidReservationInputError(message);
}

function requireId(value: unknown, what: string): void {
  if (typeof value !== 'string' || value.length === 0) fail(`${what} must be a non-empty string`);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Order ids key reservations; an empty one would collide across callers. */
export function validateOrderId(orderId: unknown): void {
  requireId(orderId, 'orderId');
}

/** Epoch milliseconds passed as `now`. */
export function validateNow(now: unknown): void {
  if (!isNonNegativeInteger(now)) fail(`now must be epoch milliseconds (a non-negative integer), got ${String(now)}`);
}

/** Batch size for expire(). */
export function validateLimit(limit: unknown): void {
  if (!isNonNegativeInteger(limit) || limit === 0) fail(`limit must be a positive integer, got ${String(limit)}`);
}

/** A request `reserve` can act on: lines, warehouses, rule and hold are all usable. */
export function validateReserveRequest(request: ReserveRequest, now: number): void {
  validateOrderId(request.orderId);
  validateNow(now);
  if (!RULES.has(request.rule)) fail(`rule must be one of ${[...RULES].join(', ')}, got ${String(request.rule)}`);
  if (!isNonNegativeInteger(request.holdMs) || request.holdMs === 0) fail(`holdMs must be a positive integer, got ${String(request.holdMs)}`);
  if (request.lines.length === 0) fail(`order ${request.orderId} has no lines`);
  if (request.warehouses.length === 0) fail(`order ${request.orderId} names no candidate warehouses`);
  if (request.syncedAfter !== undefined && !Number.isSafeInteger(request.syncedAfter)) fail(`syncedAfter must be an integer (epoch ms), got ${String(request.syncedAfter)}`);
  const lineNumbers = new Set<number>();
  for (const line of request.lines) {
    if (!Number.isSafeInteger(line.lineNumber)) fail(`lineNumber must be an integer, got ${String(line.lineNumber)}`);
    if (lineNumbers.has(line.lineNumber)) fail(`line ${line.lineNumber} appears twice in order ${request.orderId}`);
    lineNumbers.add(line.lineNumber);
    requireId(line.sku, `sku of line ${line.lineNumber}`);
    if (!isNonNegativeInteger(line.quantity) || line.quantity === 0) {
      fail(`quantity of line ${line.lineNumber} must be a positive integer, got ${String(line.quantity)}`);
    }
  }
  const warehouses = new Set<string>();
  for (const warehouseId of request.warehouses) {
    requireId(warehouseId, 'warehouse id');
    // A repeated warehouse would be counted twice when summing what a line could get.
    if (warehouses.has(warehouseId)) fail(`warehouse ${warehouseId} is listed twice`);
    warehouses.add(warehouseId);
  }
}

/** WMS levels about to replace the ledger's copy of a SKU. */
export function validateStockEntries(entries: readonly { sku: string; levels: readonly StockLevel[]; expectedVersion: number | null }[], now: number): void {
  validateNow(now);
  const skus = new Set<string>();
  for (const entry of entries) {
    requireId(entry.sku, 'sku');
    if (skus.has(entry.sku)) fail(`sku ${entry.sku} appears twice in one writeStock call`);
    skus.add(entry.sku);
    if (entry.expectedVersion !== null && !isNonNegativeInteger(entry.expectedVersion)) {
      fail(`expectedVersion of ${entry.sku} must be a non-negative integer or null`);
    }
    const warehouses = new Set<string>();
    for (const level of entry.levels) {
      if (level.sku !== entry.sku) fail(`a level for ${level.sku} was filed under ${entry.sku}`);
      requireId(level.warehouseId, `warehouse id of ${entry.sku}`);
      if (warehouses.has(level.warehouseId)) fail(`${entry.sku} has two levels for warehouse ${level.warehouseId}`);
      warehouses.add(level.warehouseId);
      // A WMS may report negative on-hand after a mispick; available clamps at 0 anyway.
      if (!Number.isSafeInteger(level.onHand)) fail(`onHand of ${entry.sku} in ${level.warehouseId} must be an integer, got ${String(level.onHand)}`);
      for (const field of ['reserved', 'safetyStock'] as const) {
        if (!isNonNegativeInteger(level[field])) {
          fail(`${field} of ${entry.sku} in ${level.warehouseId} must be a non-negative integer, got ${String(level[field])}`);
        }
      }
    }
  }
}

/** SKU lists for reads; duplicates are harmless, so they are dropped rather than refused. */
export function distinctSkus(skus: readonly string[]): string[] {
  for (const sku of skus) requireId(sku, 'sku');
  return [...new Set(skus)];
}
