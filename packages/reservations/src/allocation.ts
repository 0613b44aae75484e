import type { Allocation } from '@crossdock/model';
import type { AllocationRule, LineShortage, ReservationLine } from './ports';

/**
 * The allocation rules of ports.ts as a pure function, used by the in-process store. The Redis
 * store runs the same steps in Lua (reservation-lua-scripts.ts); the shared contract suite keeps
 * the two in step.
 */
export type AllocationOutcome =
  | { status: 'reserved'; allocations: Allocation[]; split: boolean }
  | { status: 'insufficient'; shortages: LineShortage[] };

/** Free stock per SKU, then per candidate warehouse (onHand - reserved - pending - safety, >= 0). */
export type AvailableStock = Map<string, Map<string, number>>;

/**
 * Spreads the lines over `warehouses` (best priority first). `available` is consumed as lines
 * take from it, so two lines of the same SKU never count the same unit twice.
 */
export function allocate(
  lines: readonly ReservationLine[],
  warehouses: readonly string[],
  rule: AllocationRule,
  available: AvailableStock,
): AllocationOutcome {
  const free = (sku: string, warehouseId: string) => available.get(sku)?.get(warehouseId) ?? 0;
  if (rule === 'single-warehouse-first') {
    const whole = warehouses.find((warehouseId) => canShipWhole(lines, warehouseId, free));
    if (whole !== undefined) {
      return { status: 'reserved', allocations: merge(lines.map((line) => ({ warehouseId: whole, sku: line.sku, quantity: line.quantity }))), split: false };
    }
  }
  return splitByPriority(lines, warehouses, available, free);
}

function canShipWhole(lines: readonly ReservationLine[], warehouseId: string, free: (sku: string, warehouseId: string) => number): boolean {
  // Lines of the same SKU add up: the warehouse must hold their sum, not each one alone.
  const demand = new Map<string, number>();
  for (const line of lines) {
    const total = (demand.get(line.sku) ?? 0) + line.quantity;
    if (total > free(line.sku, warehouseId)) return false;
    demand.set(line.sku, total);
  }
  return true;
}

function splitByPriority(
  lines: readonly ReservationLine[],
  warehouses: readonly string[],
  available: AvailableStock,
  free: (sku: string, warehouseId: string) => number,
): AllocationOutcome {
  const picks: Allocation[] = [];
  const shortages: LineShortage[] = [];
  for (const line of lines) {
    const total = warehouses.reduce((sum, warehouseId) => sum + free(line.sku, warehouseId), 0);
    if (total < line.quantity) {
      // A short line takes nothing, so later lines of the same SKU report what is really left.
      shortages.push({ lineNumber: line.lineNumber, sku: line.sku, requested: line.quantity, available: total });
      continue;
    }
    let left = line.quantity;
    for (const warehouseId of warehouses) {
      if (left === 0) break;
      const take = Math.min(left, free(line.sku, warehouseId));
      if (take === 0) continue;
      available.get(line.sku)?.set(warehouseId, free(line.sku, warehouseId) - take);
      picks.push({ warehouseId, sku: line.sku, quantity: take });
      left -= take;
    }
  }
  if (shortages.length > 0) return { status: 'insufficient', shortages };
  const allocations = merge(picks);
  return { status: 'reserved', allocations, split: new Set(allocations.map((a) => a.warehouseId)).size > 1 };
}

/** One allocation per (warehouse, SKU), in the order first taken: what the WMS is asked for. */
function merge(picks: readonly Allocation[]): Allocation[] {
  const merged = new Map<string, Allocation>();
  for (const pick of picks) {
    const key = JSON.stringify([pick.warehouseId, pick.sku]);
    const existing = merged.get(key);
    if (existing) existing.quantity += pick.quantity;
    else merged.set(key, { ...pick });
  }
  return [...merged.values()];
}
