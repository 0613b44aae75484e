import { MemoryReservationStore, RedisReservationStore, StockReservations, type ReservationStore, type StockLevel } from '@crossdock/reservations';
import { closedLoop, measureStep, type StepResult } from './closed-loop';

/** Which ReservationStore the step runs over. */
export type StepStore = 'redis' | 'memory';

/** What one reservation-step row needs besides its store and SKUs. */
export interface ReservationStepSettings {
  /** The stack's Redis; the step writes under `keyPrefix` only, never the hub's own keys. */
  redisUrl: string;
  keyPrefix: string;
  warehouseIds: readonly string[];
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Processes to sample during the measured window besides this one (e.g. redis-server), by name. */
  helperPids: Record<string, number>;
}

/**
 * Neither store forgets a reservation until it is confirmed and released, so a window of
 * millions grows the bench heap (memory store) or Redis without bound; a window stops here.
 */
const MAX_RESERVATIONS = 2_000_000;
/** Stock per SKU and warehouse that no window can use up (hot SKU: every reservation takes 1). */
const STOCK_LEVEL = 1_000_000_000;
/** The production default: nothing expires during a window. */
const HOLD_MS = 30 * 60_000;

/**
 * Closed-loop `reserve` calls of StockReservations over one store, `connections` at a time, as
 * order capture makes them (ledger freshness check, then the atomic reserve): first a warm-up on
 * a throwaway store, then the measured window on a fresh one, so the window starts from an empty
 * ledger as the first window of a hub would. Stock comes from `loadStock`, not the WMS.
 */
export async function measureReservationStep(kind: StepStore, skus: readonly string[], settings: ReservationStepSettings): Promise<StepResult> {
  if (settings.warmupSeconds > 0) {
    const warmup = await openStore(kind, settings, 'warmup');
    try {
      await closedLoop(reserveOne(reservationsOver(warmup.store, settings.warehouseIds), skus, settings), settings.connections, settings.warmupSeconds, MAX_RESERVATIONS, null);
    } finally {
      await warmup.close();
    }
  }
  const measured = await openStore(kind, settings, 'measured');
  try {
    return await measureStep(reserveOne(reservationsOver(measured.store, settings.warehouseIds), skus, settings), settings, MAX_RESERVATIONS);
  } finally {
    await measured.close();
  }
}

async function openStore(kind: StepStore, settings: ReservationStepSettings, phase: string): Promise<{ store: ReservationStore; close(): Promise<void> }> {
  if (kind === 'memory') return { store: new MemoryReservationStore(), close: async () => undefined };
  const store = await RedisReservationStore.connect({
    url: settings.redisUrl,
    keyPrefix: `${settings.keyPrefix}${phase}:`,
    onConnectionError: (error) => console.error('place-order: reservation step: redis connection error', error),
  });
  return { store, close: () => store.close() };
}

function reservationsOver(store: ReservationStore, warehouseIds: readonly string[]): StockReservations {
  const loadStock = async (skus: readonly string[]): Promise<StockLevel[]> =>
    skus.flatMap((sku) => warehouseIds.map((warehouseId) => ({ sku, warehouseId, onHand: STOCK_LEVEL, reserved: 0, safetyStock: 0 })));
  return new StockReservations({ store, loadStock, rule: 'single-warehouse-first', holdMs: HOLD_MS });
}

/** One reservation of one unit of the next SKU in turn; true when reserved. */
function reserveOne(reservations: StockReservations, skus: readonly string[], settings: ReservationStepSettings): (n: number) => Promise<boolean> {
  return async (n) => {
    const sku = skus[n % skus.length] ?? '';
    const result = await reservations.reserve(`bench-${n}`, [{ lineNumber: 1, sku, quantity: 1 }], settings.warehouseIds);
    return result.status === 'reserved';
  };
}
