import type { Allocation } from '@crossdock/model';

/**
 * Narrow ports over Redis (production) and an in-process substitute (all-in-one). One shared
 * contract test suite runs against both adapters so the substitute can never drift.
 */

/** Physical stock of one SKU in one warehouse as the WMS reports it (the system of record). */
export interface StockLevel {
  sku: string;
  warehouseId: string;
  onHand: number;
  /** Reserved in the WMS itself (allocations it has confirmed). */
  reserved: number;
  safetyStock: number;
}

export interface ReservationLine {
  lineNumber: number;
  sku: string;
  quantity: number;
}

/**
 * How an order's lines are spread over warehouses:
 * - `single-warehouse-first`: one warehouse that can ship the whole order if there is one
 *   (the best-priority such warehouse), otherwise split line by line in warehouse priority order;
 * - `priority-split`: always line by line in warehouse priority order.
 */
export type AllocationRule = 'single-warehouse-first' | 'priority-split';

export interface ReserveRequest {
  orderId: string;
  lines: readonly ReservationLine[];
  /** Candidate warehouse ids, best priority first. */
  warehouses: readonly string[];
  rule: AllocationRule;
  /** A reservation the WMS has not confirmed within this time is released. */
  holdMs: number;
  /**
   * Epoch ms. When given, the store reserves nothing if any SKU is missing from the ledger or
   * was last synced from the WMS before this, and answers `stale` naming each such SKU: the
   * caller refreshes them and asks again. Checked in the same atomic step as the reservation,
   * so a fresh ledger costs no read of its own. Without it every SKU must be in the ledger.
   */
  syncedAfter?: number;
}

export interface LineShortage {
  lineNumber: number;
  sku: string;
  requested: number;
  /** What was available for this line when the order was refused. */
  available: number;
}

export type ReserveResult =
  | { status: 'reserved'; allocations: Allocation[]; split: boolean }
  /** Nothing was reserved for any line. */
  | { status: 'insufficient'; shortages: LineShortage[] }
  /** The same order id already holds a reservation: nothing new was reserved. */
  | { status: 'exists'; allocations: Allocation[] };

/** A SKU the ledger must load from the WMS first, and its ledger version (null: not in the ledger). */
export interface StaleSku {
  sku: string;
  version: number | null;
}

/**
 * What the store answers to a reservation: a ReserveResult, or, for a request with
 * `syncedAfter`, the SKUs to refresh first (nothing was reserved).
 */
export type LedgerReserveResult = ReserveResult | { status: 'stale'; skus: StaleSku[] };

export type ReservationState = 'pending' | 'confirmed';

export interface Reservation {
  orderId: string;
  state: ReservationState;
  allocations: Allocation[];
  /** Epoch ms after which a pending reservation is released. */
  expiresAt: number;
}

/**
 * The stock ledger and reservations. Available for a (sku, warehouse) is
 * onHand - reserved - pending - safetyStock, never below 0, where `pending` is the sum of
 * reservations the WMS has not confirmed yet. Every method is atomic across processes.
 */
export interface ReservationStore {
  /**
   * Ledger levels and a version per SKU (bumped by every reservation change that touches the
   * SKU). Missing SKUs are absent from the result.
   */
  readStock(skus: readonly string[]): Promise<Map<string, { levels: StockLevel[]; version: number; syncedAt: number }>>;
  /**
   * Writes WMS levels for SKUs, but for each SKU only if its version still equals the one read
   * before asking the WMS (so a confirm that raced the refresh is never overwritten). Returns
   * the SKUs written.
   */
  writeStock(entries: readonly { sku: string; levels: StockLevel[]; expectedVersion: number | null }[], now: number): Promise<string[]>;
  /**
   * All lines or none. Without `syncedAfter` every SKU of the request must be in the ledger (else
   * it throws StockNotLoadedError); with it, missing and stale SKUs are answered as `stale`.
   */
  reserve(request: ReserveRequest, now: number): Promise<LedgerReserveResult>;
  /** The WMS accepted the allocation: pending moves into the ledger's reserved. False if unknown. */
  confirm(orderId: string): Promise<boolean>;
  /** Gives the order's stock back (pending or confirmed); returns what was released, or null. */
  release(orderId: string): Promise<Reservation | null>;
  get(orderId: string): Promise<Reservation | null>;
  /** Pending (unconfirmed) quantities by SKU and warehouse, for available-to-promise. */
  pendingBySku(skus: readonly string[]): Promise<Map<string, Map<string, number>>>;
  /** Releases pending reservations past their expiry; returns the order ids released. */
  expire(now: number, limit?: number): Promise<string[]>;
}

export type IdempotencyBegin =
  /** The caller owns the key now and must finish() or abandon() it. */
  | { state: 'started' }
  /** Another request with this key is still running. */
  | { state: 'in-progress' }
  /** Done before: the stored answer. */
  | { state: 'done'; result: string };

export interface IdempotencyStore {
  /** Claims the key atomically; an abandoned or crashed claim frees itself after `leaseMs`. */
  begin(key: string, leaseMs: number): Promise<IdempotencyBegin>;
  /** Stores the final answer for `ttlMs` (24 h for placeOrder). */
  finish(key: string, result: string, ttlMs: number): Promise<void>;
  /** Frees the key without an answer (an internal failure: a retry may try again). */
  abandon(key: string): Promise<void>;
}

/**
 * Which SKUs the ledger holds (what the hub has loaded from the WMS): the inventory
 * reconciliation compares exactly these with the WMS. Both adapters offer it.
 */
export interface StockLedgerListing {
  /** Every SKU with a ledger entry, sorted, at most `limit` (default 10 000). */
  ledgerSkus(limit?: number): Promise<string[]>;
}
