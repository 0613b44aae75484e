import type { InventoryPosition } from '@crossdock/model';
import type { StockLevel } from '@crossdock/reservations';

/** One stock position (SKU × warehouse) where the hub's view differs from the WMS. */
export interface DriftPosition {
  sku: string;
  warehouseId: string;
  /** On hand as the hub last loaded it into its ledger. */
  hubOnHand: number;
  wmsOnHand: number;
  /** WMS − hub: positive when the WMS holds more than the hub believes (a receipt it missed). */
  onHandDrift: number;
  /** Reservations the WMS confirmed, as the hub's ledger counts them. */
  hubReserved: number;
  wmsReserved: number;
  reservedDrift: number;
  /** Hub reservations the WMS has not been told of yet (not drift: shown for context). */
  pending: number;
  /** The exception recorded for it, when its drift reached the threshold. */
  exceptionId: string | null;
}

/** What the last reconciliation found. */
export interface DriftReport {
  /** When it ran (UTC ISO-8601); null before the first run. */
  ranAt: string | null;
  durationMs: number;
  /** Units of drift (on hand or reserved) from which an exception is recorded. */
  threshold: number;
  skusChecked: number;
  positionsChecked: number;
  drifting: DriftPosition[];
  /** Why the run failed (the WMS or Redis unreachable); the previous positions are not kept. */
  error: string | null;
}

/** The report before any run. */
export function emptyDriftReport(threshold: number): DriftReport {
  return { ranAt: null, durationMs: 0, threshold, skusChecked: 0, positionsChecked: 0, drifting: [], error: null };
}

/**
 * Compares one SKU's positions: the hub's ledger levels against the WMS's positions, warehouse by
 * warehouse (a warehouse either side lacks counts as 0 there). Returns every position compared
 * and the ones that differ.
 */
export function compareSku(
  sku: string,
  ledger: readonly StockLevel[],
  wms: readonly InventoryPosition[],
  pending: ReadonlyMap<string, number> | undefined,
): { compared: number; drifting: DriftPosition[] } {
  const warehouses = [...new Set([...ledger.map((l) => l.warehouseId), ...wms.map((p) => p.warehouseId)])].sort();
  const drifting = warehouses.flatMap((warehouseId): DriftPosition[] => {
    const hub = ledger.find((l) => l.warehouseId === warehouseId);
    const actual = wms.find((p) => p.warehouseId === warehouseId);
    const position = {
      sku,
      warehouseId,
      hubOnHand: hub?.onHand ?? 0,
      wmsOnHand: actual?.onHand ?? 0,
      hubReserved: hub?.reserved ?? 0,
      wmsReserved: actual?.reserved ?? 0,
      pending: pending?.get(warehouseId) ?? 0,
    };
    const onHandDrift = position.wmsOnHand - position.hubOnHand;
    const reservedDrift = position.wmsReserved - position.hubReserved;
    return onHandDrift === 0 && reservedDrift === 0 ? [] : [{ ...position, onHandDrift, reservedDrift, exceptionId: null }];
  });
  return { compared: warehouses.length, drifting };
}
