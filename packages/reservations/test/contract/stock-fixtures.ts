import type { ReservationLine, ReservationStore, ReserveRequest, StockLevel } from '../../src';

/** A store under test and how to let go of it (close a client, nothing for memory). */
export interface StoreFixture<S> {
  store: S;
  close(): Promise<void>;
}

/** Fixed epoch ms: the contract passes `now` explicitly, so no test depends on the wall clock. */
export const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

export function level(sku: string, warehouseId: string, onHand: number, reserved = 0, safetyStock = 0): StockLevel {
  return { sku, warehouseId, onHand, reserved, safetyStock };
}

/** Loads levels as a first WMS refresh would (every SKU absent before). */
export async function seed(store: ReservationStore, levels: StockLevel[], now = T0): Promise<void> {
  const bySku = new Map<string, StockLevel[]>();
  for (const l of levels) bySku.set(l.sku, [...(bySku.get(l.sku) ?? []), l]);
  await store.writeStock([...bySku].map(([sku, ls]) => ({ sku, levels: ls, expectedVersion: null })), now);
}

/** Lines from `[sku, quantity]` pairs, numbered from 1. */
export function lines(...pairs: [string, number][]): ReservationLine[] {
  return pairs.map(([sku, quantity], i) => ({ lineNumber: i + 1, sku, quantity }));
}

export function request(orderId: string, orderLines: ReservationLine[], overrides: Partial<ReserveRequest> = {}): ReserveRequest {
  return { orderId, lines: orderLines, warehouses: ['W1', 'W2', 'W3'], rule: 'single-warehouse-first', holdMs: 60_000, ...overrides };
}

/** onHand - reserved - pending - safety per warehouse, as a customer would be promised. */
export async function availableOf(store: ReservationStore, sku: string): Promise<Record<string, number>> {
  const stock = await store.readStock([sku]);
  const pending = (await store.pendingBySku([sku])).get(sku);
  const result: Record<string, number> = {};
  for (const l of stock.get(sku)?.levels ?? []) {
    result[l.warehouseId] = Math.max(0, l.onHand - l.reserved - (pending?.get(l.warehouseId) ?? 0) - l.safetyStock);
  }
  return result;
}

/** Pending quantities as a plain object, for readable expectations. */
export async function pendingOf(store: ReservationStore, sku: string): Promise<Record<string, number>> {
  return Object.fromEntries((await store.pendingBySku([sku])).get(sku) ?? []);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
