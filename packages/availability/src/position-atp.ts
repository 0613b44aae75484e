import { availableOf, type InventoryPosition } from '@crossdock/model';
import type { WarehouseAtp } from './available-to-sell';
import type { AtpReader } from './ports';

/** Options of positionAtp. */
export interface PositionAtpOptions {
  /** The WMS's positions per SKU, aligned with the SKUs asked (the WMS connector's positionsBySkus). */
  positions: (skus: readonly string[]) => Promise<InventoryPosition[][]>;
  /** The hub's reservations the WMS has not confirmed yet, by SKU and warehouse (null: none). */
  pending: ((skus: readonly string[]) => Promise<Map<string, Map<string, number>>>) | null;
}

/**
 * ATP as the graph answers it: the WMS's positions with the hub's pending reservations counted
 * as reserved (on hand − reserved − pending − safety stock, never below 0), per warehouse.
 */
export function positionAtp(options: PositionAtpOptions): AtpReader {
  return {
    async read(skus) {
      const [positions, pending] = await Promise.all([options.positions(skus), options.pending ? options.pending(skus) : Promise.resolve(null)]);
      const atp = new Map<string, WarehouseAtp>();
      skus.forEach((sku, i) => {
        const held = pending?.get(sku);
        atp.set(sku, new Map((positions[i] ?? []).map((p) => [p.warehouseId, availableOf({ ...p, reserved: p.reserved + (held?.get(p.warehouseId) ?? 0) })])));
      });
      return atp;
    },
  };
}
