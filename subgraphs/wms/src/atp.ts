import { availableOf, type InventoryPosition, type Warehouse } from '@crossdock/model';

/** Where part of a requested quantity would ship from. */
export interface AtpSource {
  warehouse: Warehouse;
  quantity: number;
}

/** Available-to-promise of one SKU for one requested quantity. */
export interface AtpResult {
  sku: string;
  requested: number;
  /** Sum of `available` over the warehouses the WMS lists. */
  available: number;
  promisable: boolean;
  /** Sums to min(requested, available): a short answer still shows what could ship. */
  sources: AtpSource[];
}

/**
 * Decides how a quantity would be filled. One parcel beats several, so the first warehouse by
 * priority that can fill everything wins; otherwise warehouses fill in priority order. Positions
 * in a warehouse the WMS does not list cannot ship and are left out.
 */
export function availableToPromise(
  sku: string,
  requested: number,
  positions: readonly InventoryPosition[],
  warehouses: ReadonlyMap<string, Warehouse>,
): AtpResult {
  const stock = positions
    .flatMap((position) => {
      const warehouse = warehouses.get(position.warehouseId);
      return warehouse ? [{ warehouse, available: availableOf(position) }] : [];
    })
    .filter((s) => s.available > 0)
    .sort((a, b) => a.warehouse.priority - b.warehouse.priority || a.warehouse.id.localeCompare(b.warehouse.id));
  const available = stock.reduce((sum, s) => sum + s.available, 0);
  const single = stock.find((s) => s.available >= requested);
  const sources: AtpSource[] = [];
  if (single) {
    sources.push({ warehouse: single.warehouse, quantity: requested });
  } else {
    let remaining = requested;
    for (const s of stock) {
      if (remaining === 0) break;
      const quantity = Math.min(s.available, remaining);
      sources.push({ warehouse: s.warehouse, quantity });
      remaining -= quantity;
    }
  }
  return { sku, requested, available, promisable: available >= requested, sources };
}
