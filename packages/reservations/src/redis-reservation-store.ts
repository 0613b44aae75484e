import { StockNotLoadedError } from './errors';
import { EXPIRY_STREAM_MAX_LENGTH, expiryStreamKey } from './expiry-events';
import { distinctSkus, validateLimit, validateNow, validateOrderId, validateReserveRequest, validateStockEntries } from './input-validation';
import { LuaScript } from './lua-script';
import type { LedgerReserveResult, Reservation, ReservationStore, ReserveRequest, StockLedgerListing, StockLevel } from './ports';
import { connectRedis, DEFAULT_KEY_PREFIX, type RedisStoreClient, type RedisStoreOptions } from './redis-connection';
import {
  parseAllocations,
  parseReservation,
  parseShortages,
  parseStaleSkus,
  parseStringList,
  replyArray,
  replyHash,
  replyInteger,
  replyString,
  UnexpectedReplyError,
} from './redis-replies';
import { CONFIRM_LUA, EXPIRE_LUA, RELEASE_LUA, RESERVE_LUA, WRITE_STOCK_LUA } from './reservation-lua-scripts';

const SCRIPTS = {
  reserve: new LuaScript('reserve', RESERVE_LUA),
  confirm: new LuaScript('confirm', CONFIRM_LUA),
  release: new LuaScript('release', RELEASE_LUA),
  expire: new LuaScript('expire', EXPIRE_LUA),
  writeStock: new LuaScript('writeStock', WRITE_STOCK_LUA),
};

interface StockHash {
  levels: StockLevel[];
  version: number;
  syncedAt: number;
  pending: Map<string, number>;
}

/**
 * The production ReservationStore: the ledger and reservations live in Redis and every change
 * is one Lua script, so orders racing from any number of processes and gateway replicas see
 * one truthful stock picture. Key layout: see reservation-lua-scripts.ts.
 */
export class RedisReservationStore implements ReservationStore, StockLedgerListing {
  private readonly pendingSetKey: string;
  /** The stream of expiry events (see expiry-events.ts): the event bus reads it like a topic. */
  readonly expiryStream: string;

  private constructor(
    private readonly client: RedisStoreClient,
    private readonly keyPrefix: string,
  ) {
    this.pendingSetKey = `${keyPrefix}reservations:pending`;
    this.expiryStream = expiryStreamKey(keyPrefix);
  }

  /** Connects one client and loads the scripts. */
  static async connect(options: RedisStoreOptions): Promise<RedisReservationStore> {
    const client = await connectRedis(options);
    try {
      for (const script of Object.values(SCRIPTS)) await script.load(client);
    } catch (error) {
      client.destroy();
      throw error;
    }
    return new RedisReservationStore(client, options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  }

  /** Closes the client after the commands already sent have been answered. */
  async close(): Promise<void> {
    await this.client.close();
  }

  async readStock(skus: readonly string[]): Promise<Map<string, { levels: StockLevel[]; version: number; syncedAt: number }>> {
    const result = new Map<string, { levels: StockLevel[]; version: number; syncedAt: number }>();
    for (const [sku, hash] of await this.readHashes(skus)) result.set(sku, { levels: hash.levels, version: hash.version, syncedAt: hash.syncedAt });
    return result;
  }

  async writeStock(entries: readonly { sku: string; levels: StockLevel[]; expectedVersion: number | null }[], now: number): Promise<string[]> {
    validateStockEntries(entries, now);
    if (entries.length === 0) return [];
    const args = [String(now)];
    for (const entry of entries) {
      args.push(entry.expectedVersion === null ? '' : String(entry.expectedVersion));
      args.push(JSON.stringify(entry.levels.map((l) => [l.warehouseId, l.onHand, l.reserved, l.safetyStock])));
    }
    const reply = await SCRIPTS.writeStock.run(this.client, entries.map((e) => this.stockKey(e.sku)), args);
    return replyArray(reply, 'writeStock').map((index) => {
      const entry = entries[replyInteger(index, 'writeStock index') - 1];
      if (!entry) throw new UnexpectedReplyError(`writeStock answered an index out of range: ${String(index)}`);
      return entry.sku;
    });
  }

  async reserve(request: ReserveRequest, now: number): Promise<LedgerReserveResult> {
    validateReserveRequest(request, now);
    const skus = distinctSkus(request.lines.map((line) => line.sku));
    const payload = JSON.stringify({
      skus,
      warehouses: request.warehouses,
      lines: request.lines.map((line) => ({ n: line.lineNumber, sku: line.sku, q: line.quantity })),
    });
    const reply = replyArray(
      await SCRIPTS.reserve.run(
        this.client,
        [this.reservationKey(request.orderId), this.pendingSetKey, ...skus.map((sku) => this.stockKey(sku))],
        [request.orderId, request.rule, String(now + request.holdMs), payload, request.syncedAfter === undefined ? '' : String(request.syncedAfter)],
      ),
      'reserve',
    );
    const [tag, body, split] = reply;
    switch (tag) {
      case 'reserved':
        return { status: 'reserved', allocations: parseAllocations(body), split: replyInteger(split, 'reserve split') === 1 };
      case 'insufficient':
        return { status: 'insufficient', shortages: parseShortages(body) };
      case 'exists':
        return { status: 'exists', allocations: parseAllocations(body) };
      case 'stale':
        return { status: 'stale', skus: parseStaleSkus(body) };
      case 'not-loaded':
        throw new StockNotLoadedError(parseStringList(body, 'missing skus'));
      default:
        throw new UnexpectedReplyError(`unexpected reserve reply: ${JSON.stringify(reply)}`);
    }
  }

  async confirm(orderId: string): Promise<boolean> {
    validateOrderId(orderId);
    const reply = await SCRIPTS.confirm.run(this.client, [this.reservationKey(orderId), this.pendingSetKey], [this.stockKey(''), orderId]);
    return replyInteger(reply, 'confirm') === 1;
  }

  async release(orderId: string): Promise<Reservation | null> {
    validateOrderId(orderId);
    const reply = await SCRIPTS.release.run(this.client, [this.reservationKey(orderId), this.pendingSetKey], [this.stockKey(''), orderId]);
    if (reply === null) return null;
    const [state, expiresAt, allocations] = replyArray(reply, 'release');
    return parseReservation(orderId, state, expiresAt, allocations);
  }

  async get(orderId: string): Promise<Reservation | null> {
    validateOrderId(orderId);
    const hash = replyHash(await this.client.hGetAll(this.reservationKey(orderId)), 'reservation');
    if (hash.state === undefined) return null;
    return parseReservation(orderId, hash.state, hash.expiresAt, hash.allocations);
  }

  async pendingBySku(skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const result = new Map<string, Map<string, number>>();
    for (const [sku, hash] of await this.readHashes(skus)) {
      const positive = new Map([...hash.pending].filter(([, quantity]) => quantity > 0));
      if (positive.size > 0) result.set(sku, positive);
    }
    return result;
  }

  /** Also appends one expiry event per released reservation to expiryStreamKey(prefix), in the same script. */
  async expire(now: number, limit = 100): Promise<string[]> {
    validateNow(now);
    validateLimit(limit);
    const reply = await SCRIPTS.expire.run(this.client, [this.pendingSetKey, this.expiryStream], [this.stockKey(''), this.reservationKey(''), String(now), String(limit), String(EXPIRY_STREAM_MAX_LENGTH)]);
    return replyArray(reply, 'expire').map((id) => replyString(id, 'expired order id'));
  }

  async ledgerSkus(limit = 10_000): Promise<string[]> {
    const prefix = this.stockKey('');
    const skus = new Set<string>();
    // SCAN, not KEYS: it never blocks Redis for the other replicas' reservations.
    for await (const keys of this.client.scanIterator({ MATCH: `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, COUNT: 500 })) {
      for (const key of keys) if (skus.size < limit) skus.add(key.slice(prefix.length));
      if (skus.size >= limit) break;
    }
    return [...skus].sort();
  }

  private stockKey(sku: string): string {
    return `${this.keyPrefix}stock:${sku}`;
  }

  private reservationKey(orderId: string): string {
    return `${this.keyPrefix}reservation:${orderId}`;
  }

  /** One HGETALL per SKU: each SKU is read consistently, which is all a version guards. */
  private async readHashes(skus: readonly string[]): Promise<Map<string, StockHash>> {
    const unique = distinctSkus(skus);
    const replies = await Promise.all(unique.map((sku) => this.client.hGetAll(this.stockKey(sku))));
    const result = new Map<string, StockHash>();
    unique.forEach((sku, i) => {
      const parsed = parseStockHash(sku, replyHash(replies[i], `stock of ${sku}`));
      if (parsed) result.set(sku, parsed);
    });
    return result;
  }
}

function parseStockHash(sku: string, hash: Record<string, string>): StockHash | null {
  if (hash.version === undefined) return null;
  const warehouses = new Map<string, Partial<Record<'onHand' | 'reserved' | 'safety' | 'pending', number>>>();
  for (const [field, value] of Object.entries(hash)) {
    const colon = field.indexOf(':');
    if (colon < 0) continue;
    const kind = field.slice(0, colon);
    if (kind !== 'onHand' && kind !== 'reserved' && kind !== 'safety' && kind !== 'pending') continue;
    const warehouseId = field.slice(colon + 1);
    const entry = warehouses.get(warehouseId) ?? {};
    entry[kind] = replyInteger(value, `${sku} ${field}`);
    warehouses.set(warehouseId, entry);
  }
  const levels: StockLevel[] = [];
  const pending = new Map<string, number>();
  for (const [warehouseId, w] of [...warehouses].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // Only warehouses the WMS reported have levels; a pending-only one is a dropped warehouse.
    if (w.onHand !== undefined) levels.push({ sku, warehouseId, onHand: w.onHand, reserved: w.reserved ?? 0, safetyStock: w.safety ?? 0 });
    if (w.pending !== undefined) pending.set(warehouseId, w.pending);
  }
  return { levels, version: replyInteger(hash.version, `${sku} version`), syncedAt: replyInteger(hash.syncedAt ?? '0', `${sku} syncedAt`), pending };
}
