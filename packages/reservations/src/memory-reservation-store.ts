import { allocate, type AvailableStock } from './allocation';
import { StockNotLoadedError } from './errors';
import { encodeReservationExpired, expiryStreamKey, type ExpiryEventSink } from './expiry-events';
import { distinctSkus, validateLimit, validateNow, validateOrderId, validateReserveRequest, validateStockEntries } from './input-validation';
import type { LedgerReserveResult, Reservation, ReservationStore, ReserveRequest, StaleSku, StockLedgerListing, StockLevel } from './ports';

interface WarehouseLedger {
  onHand: number;
  reserved: number;
  safetyStock: number;
  pending: number;
  /** False once the WMS stopped reporting the warehouse; kept only while pending is owed. */
  reported: boolean;
}

interface SkuLedger {
  version: number;
  syncedAt: number;
  warehouses: Map<string, WarehouseLedger>;
}

/**
 * The in-process ReservationStore for all-in-one mode. Each method does all its reading and
 * writing before its first await, so on one event loop it is as atomic as the Redis scripts.
 * It shares nothing across processes: use RedisReservationStore as soon as there are replicas.
 */
export class MemoryReservationStore implements ReservationStore, StockLedgerListing {
  private readonly ledger = new Map<string, SkuLedger>();
  private readonly reservations = new Map<string, Reservation>();
  /** The stream of expiry events, as RedisReservationStore names it. */
  readonly expiryStream: string;

  /** `expiries`: where expire() appends its expiry events (the in-process event bus; none: not told). */
  constructor(private readonly options: { expiries?: ExpiryEventSink; keyPrefix?: string } = {}) {
    this.expiryStream = expiryStreamKey(options.keyPrefix);
  }

  async ledgerSkus(limit = 10_000): Promise<string[]> {
    return [...this.ledger.keys()].sort().slice(0, limit);
  }

  async readStock(skus: readonly string[]): Promise<Map<string, { levels: StockLevel[]; version: number; syncedAt: number }>> {
    const result = new Map<string, { levels: StockLevel[]; version: number; syncedAt: number }>();
    for (const sku of distinctSkus(skus)) {
      const entry = this.ledger.get(sku);
      if (!entry) continue;
      const levels = [...entry.warehouses]
        .filter(([, w]) => w.reported)
        .map(([warehouseId, w]) => ({ sku, warehouseId, onHand: w.onHand, reserved: w.reserved, safetyStock: w.safetyStock }))
        .sort((a, b) => (a.warehouseId < b.warehouseId ? -1 : a.warehouseId > b.warehouseId ? 1 : 0));
      result.set(sku, { levels, version: entry.version, syncedAt: entry.syncedAt });
    }
    return result;
  }

  async writeStock(entries: readonly { sku: string; levels: StockLevel[]; expectedVersion: number | null }[], now: number): Promise<string[]> {
    validateStockEntries(entries, now);
    const written: string[] = [];
    for (const { sku, levels, expectedVersion } of entries) {
      const entry = this.ledger.get(sku);
      if ((entry?.version ?? null) !== expectedVersion) continue;
      const warehouses = new Map<string, WarehouseLedger>();
      // Pending belongs to the hub, not the WMS: a refresh must never forget what it owes.
      for (const [warehouseId, w] of entry?.warehouses ?? []) {
        if (w.pending !== 0) warehouses.set(warehouseId, { onHand: 0, reserved: 0, safetyStock: 0, pending: w.pending, reported: false });
      }
      for (const level of levels) {
        const pending = warehouses.get(level.warehouseId)?.pending ?? 0;
        warehouses.set(level.warehouseId, { onHand: level.onHand, reserved: level.reserved, safetyStock: level.safetyStock, pending, reported: true });
      }
      this.ledger.set(sku, { version: (entry?.version ?? 0) + 1, syncedAt: now, warehouses });
      written.push(sku);
    }
    return written;
  }

  async reserve(request: ReserveRequest, now: number): Promise<LedgerReserveResult> {
    validateReserveRequest(request, now);
    const existing = this.reservations.get(request.orderId);
    if (existing) return { status: 'exists', allocations: cloneAllocations(existing) };
    const skus = distinctSkus(request.lines.map((line) => line.sku));
    const { syncedAfter } = request;
    if (syncedAfter !== undefined) {
      const stale = skus.flatMap((sku): StaleSku[] => {
        const entry = this.ledger.get(sku);
        if (!entry) return [{ sku, version: null }];
        return entry.syncedAt < syncedAfter ? [{ sku, version: entry.version }] : [];
      });
      if (stale.length > 0) return { status: 'stale', skus: stale };
    }
    const missing = skus.filter((sku) => !this.ledger.has(sku));
    if (missing.length > 0) throw new StockNotLoadedError(missing);
    const available: AvailableStock = new Map();
    for (const sku of skus) {
      const free = new Map<string, number>();
      for (const warehouseId of request.warehouses) {
        const w = this.ledger.get(sku)?.warehouses.get(warehouseId);
        free.set(warehouseId, w ? Math.max(0, w.onHand - w.reserved - w.pending - w.safetyStock) : 0);
      }
      available.set(sku, free);
    }
    const outcome = allocate(request.lines, request.warehouses, request.rule, available);
    if (outcome.status === 'insufficient') return outcome;
    for (const allocation of outcome.allocations) this.warehouse(allocation.sku, allocation.warehouseId).pending += allocation.quantity;
    this.bumpVersions(outcome.allocations.map((a) => a.sku));
    const reservation: Reservation = { orderId: request.orderId, state: 'pending', allocations: outcome.allocations, expiresAt: now + request.holdMs };
    this.reservations.set(request.orderId, reservation);
    return { status: 'reserved', allocations: cloneAllocations(reservation), split: outcome.split };
  }

  async confirm(orderId: string): Promise<boolean> {
    validateOrderId(orderId);
    const reservation = this.reservations.get(orderId);
    if (!reservation) return false;
    // A second confirm must not move the same quantities into reserved twice.
    if (reservation.state === 'confirmed') return true;
    for (const { sku, warehouseId, quantity } of reservation.allocations) {
      const w = this.warehouse(sku, warehouseId);
      w.pending -= quantity;
      w.reserved += quantity;
    }
    this.bumpVersions(reservation.allocations.map((a) => a.sku));
    reservation.state = 'confirmed';
    return true;
  }

  async release(orderId: string): Promise<Reservation | null> {
    validateOrderId(orderId);
    const reservation = this.reservations.get(orderId);
    if (!reservation) return null;
    this.giveBack(reservation);
    return structuredClone(reservation);
  }

  async get(orderId: string): Promise<Reservation | null> {
    validateOrderId(orderId);
    const reservation = this.reservations.get(orderId);
    return reservation ? structuredClone(reservation) : null;
  }

  async pendingBySku(skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const result = new Map<string, Map<string, number>>();
    for (const sku of distinctSkus(skus)) {
      const byWarehouse = new Map<string, number>();
      for (const [warehouseId, w] of this.ledger.get(sku)?.warehouses ?? []) if (w.pending > 0) byWarehouse.set(warehouseId, w.pending);
      if (byWarehouse.size > 0) result.set(sku, byWarehouse);
    }
    return result;
  }

  async expire(now: number, limit = 100): Promise<string[]> {
    validateNow(now);
    validateLimit(limit);
    const due = [...this.reservations.values()]
      .filter((r) => r.state === 'pending' && r.expiresAt < now)
      .sort((a, b) => a.expiresAt - b.expiresAt || (a.orderId < b.orderId ? -1 : 1))
      .slice(0, limit);
    const events = due.map((reservation) => ({ orderId: reservation.orderId, skus: distinctSkus(reservation.allocations.map((a) => a.sku)).sort(), at: now }));
    for (const reservation of due) this.giveBack(reservation);
    // Appended before the first await, as the Redis script appends in the same step.
    const sink = this.options.expiries;
    if (sink) await Promise.all(events.map((event) => sink.append(this.expiryStream, encodeReservationExpired(event))));
    return due.map((r) => r.orderId);
  }

  private giveBack(reservation: Reservation): void {
    for (const { sku, warehouseId, quantity } of reservation.allocations) {
      const w = this.warehouse(sku, warehouseId);
      if (reservation.state === 'pending') w.pending -= quantity;
      else w.reserved = Math.max(0, w.reserved - quantity);
    }
    this.bumpVersions(reservation.allocations.map((a) => a.sku));
    if (reservation.state === 'confirmed') {
      // The hub only guesses the WMS's reserved after a void; ask the WMS again next time.
      for (const { sku } of reservation.allocations) {
        const entry = this.ledger.get(sku);
        if (entry) entry.syncedAt = 0;
      }
    }
    this.reservations.delete(reservation.orderId);
  }

  private warehouse(sku: string, warehouseId: string): WarehouseLedger {
    let entry = this.ledger.get(sku);
    if (!entry) {
      entry = { version: 0, syncedAt: 0, warehouses: new Map() };
      this.ledger.set(sku, entry);
    }
    let w = entry.warehouses.get(warehouseId);
    if (!w) {
      w = { onHand: 0, reserved: 0, safetyStock: 0, pending: 0, reported: false };
      entry.warehouses.set(warehouseId, w);
    }
    return w;
  }

  private bumpVersions(skus: readonly string[]): void {
    for (const sku of new Set(skus)) {
      const entry = this.ledger.get(sku);
      if (entry) entry.version += 1;
    }
  }
}

function cloneAllocations(reservation: Reservation) {
  return reservation.allocations.map((a) => ({ ...a }));
}
