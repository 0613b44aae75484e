import { HttpError, isRecord, listParam, type Router } from './http-kit';

/** Shopify's REST admin bucket: 40 calls, leaking 2 per second (standard plan). */
const DEFAULT_LIMITS = { bucketSize: 40, leakPerSecond: 2 };
/** Inventory item ids start where Shopify's look like they do. */
const FIRST_ITEM_ID = 808_950_810;

interface Level {
  sku: string;
  inventoryItemId: number;
  locationId: number;
  available: number;
  updatedAt: string;
  /** How often it was set. */
  sets: number;
}

interface Listing {
  sku: string;
  quantity: number;
  sequence: number;
  updatedAt: string;
  updates: number;
}

/** A leaky bucket per API client, as Shopify meters its REST admin API. */
class CallBucket {
  private level = 0;
  private updatedAt = Date.now();

  constructor(private limits: { bucketSize: number; leakPerSecond: number }) {}

  configure(limits: { bucketSize: number; leakPerSecond: number }): void {
    this.limits = limits;
    this.level = 0;
  }

  /** Takes a call; the seconds to wait when the bucket is full, else null. */
  take(): { retryAfterSeconds: number } | { used: number; size: number } {
    const now = Date.now();
    this.level = Math.max(0, this.level - ((now - this.updatedAt) / 1000) * this.limits.leakPerSecond);
    this.updatedAt = now;
    if (this.level + 1 > this.limits.bucketSize) return { retryAfterSeconds: Math.max(0.001, (this.level + 1 - this.limits.bucketSize) / this.limits.leakPerSecond) };
    this.level += 1;
    return { used: Math.ceil(this.level), size: this.limits.bucketSize };
  }
}

/**
 * What the channels' own systems were told about stock: a Shopify-style store's inventory levels
 * per location, a marketplace's listing quantities (newest sequence wins), and the 846 documents
 * EDI partners received. Each write API is rate limited like the real one and answers 429 with
 * Retry-After when its bucket is full; the admin read shows exactly what was set.
 */
export class ChannelInventory {
  private levels = new Map<string, Level>();
  private itemIds = new Map<string, number>();
  private skuByItemId = new Map<number, string>();
  private listings = new Map<string, Map<string, Listing>>();
  private documents = new Map<string, string[]>();
  private throttled = 0;
  private readonly buckets = { store: new CallBucket(DEFAULT_LIMITS), marketplace: new CallBucket(DEFAULT_LIMITS) };

  reset(): void {
    this.levels = new Map();
    this.itemIds = new Map();
    this.skuByItemId = new Map();
    this.listings = new Map();
    this.documents = new Map();
    this.throttled = 0;
    this.buckets.store.configure(DEFAULT_LIMITS);
    this.buckets.marketplace.configure(DEFAULT_LIMITS);
  }

  /** The store's routes, the marketplace's inventory feed, and the EDI partners' intake. */
  routes(router: Router): Router {
    return router
      .on('GET', '/admin/api/2026-01/inventory_items.json', (req) => {
        const skus = listParam(req.query, 'skus', 250) ?? [];
        return { body: { inventory_items: skus.map((sku) => ({ id: this.itemIdOf(sku), sku, tracked: true })) } };
      })
      .on('POST', '/admin/api/2026-01/inventory_levels/set.json', (req) => this.metered('store', () => ({ body: { inventory_level: this.setLevel(req.body) } })))
      .on('POST', '/marketplace/:name/inventory.json', (req) => this.metered('marketplace', () => ({ body: { results: this.updateListings(req.params.name ?? '', req.body) } })))
      .on('POST', '/edi/:partner/846', (req) => {
        if (!isRecord(req.body) || typeof req.body.document !== 'string' || !req.body.document.startsWith('ISA')) throw new HttpError(400, 'invalid_body', '"document" must be an X12 interchange');
        const partner = req.params.partner ?? '';
        this.documents.set(partner, [...(this.documents.get(partner) ?? []), req.body.document]);
        return { status: 202, body: { received: true } };
      });
  }

  /** Admin: what every channel was told, and how it limits calls. */
  admin(router: Router): Router {
    return router
      .on('GET', '/_admin/channel-inventory', () => ({
        body: {
          levels: [...this.levels.values()].map((l) => ({ sku: l.sku, inventory_item_id: l.inventoryItemId, location_id: l.locationId, available: l.available, updated_at: l.updatedAt, sets: l.sets })),
          marketplaces: Object.fromEntries([...this.listings].map(([name, listings]) => [name, [...listings.values()]])),
          edi: Object.fromEntries(this.documents),
          throttled: this.throttled,
        },
      }))
      .on('POST', '/_admin/channel-inventory/limits', (req) => {
        const limits = parseLimits(req.body);
        this.buckets.store.configure(limits);
        this.buckets.marketplace.configure(limits);
        return { body: limits };
      });
  }

  private metered(api: 'store' | 'marketplace', handle: () => { body: unknown }): { status?: number; body: unknown; headers?: Record<string, string> } {
    const call = this.buckets[api].take();
    if ('retryAfterSeconds' in call) {
      this.throttled += 1;
      return { status: 429, body: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, headers: { 'retry-after': call.retryAfterSeconds.toFixed(3) } };
    }
    return { ...handle(), headers: { 'x-shopify-shop-api-call-limit': `${call.used}/${call.size}` } };
  }

  private itemIdOf(sku: string): number {
    let id = this.itemIds.get(sku);
    if (id === undefined) {
      id = FIRST_ITEM_ID + this.itemIds.size;
      this.itemIds.set(sku, id);
      this.skuByItemId.set(id, sku);
    }
    return id;
  }

  private setLevel(body: unknown): Record<string, unknown> {
    if (!isRecord(body)) throw new HttpError(400, 'invalid_body', 'the body must be a JSON object');
    const { location_id: locationId, inventory_item_id: itemId, available } = body;
    if (typeof locationId !== 'number' || !Number.isSafeInteger(locationId)) throw new HttpError(422, 'location_id', 'location_id must be an integer');
    if (typeof available !== 'number' || !Number.isSafeInteger(available)) throw new HttpError(422, 'available', 'available must be an integer');
    const sku = typeof itemId === 'number' ? this.skuByItemId.get(itemId) : undefined;
    if (sku === undefined) throw new HttpError(422, 'inventory_item_id', `inventory item ${String(itemId)} does not exist`);
    const key = `${itemId}:${locationId}`;
    const level: Level = { sku, inventoryItemId: Number(itemId), locationId, available, updatedAt: new Date().toISOString(), sets: (this.levels.get(key)?.sets ?? 0) + 1 };
    this.levels.set(key, level);
    return { inventory_item_id: level.inventoryItemId, location_id: locationId, available, updated_at: level.updatedAt };
  }

  private updateListings(name: string, body: unknown): { sku: string; status: 'accepted' | 'stale' }[] {
    if (!isRecord(body) || !Array.isArray(body.items)) throw new HttpError(400, 'invalid_body', '"items" must be a list');
    const listings = this.listings.get(name) ?? new Map<string, Listing>();
    this.listings.set(name, listings);
    return body.items.map((item: unknown) => {
      if (!isRecord(item) || typeof item.sku !== 'string' || !Number.isSafeInteger(item.quantity) || !Number.isSafeInteger(item.sequence)) {
        throw new HttpError(400, 'invalid_item', 'each item needs sku (string), quantity and sequence (integers)');
      }
      const current = listings.get(item.sku);
      const sequence = Number(item.sequence);
      // A figure older than the one listed changes nothing: the marketplace keeps the newest.
      if (current && current.sequence >= sequence) return { sku: item.sku, status: 'stale' as const };
      listings.set(item.sku, { sku: item.sku, quantity: Number(item.quantity), sequence, updatedAt: new Date().toISOString(), updates: (current?.updates ?? 0) + 1 });
      return { sku: item.sku, status: 'accepted' as const };
    });
  }
}

function parseLimits(body: unknown): { bucketSize: number; leakPerSecond: number } {
  if (!isRecord(body)) throw new HttpError(400, 'invalid_body', 'the body must be a JSON object');
  const { bucketSize, leakPerSecond } = body;
  if (typeof bucketSize !== 'number' || !Number.isInteger(bucketSize) || bucketSize < 1) throw new HttpError(400, 'invalid_body', 'bucketSize must be a positive integer');
  if (typeof leakPerSecond !== 'number' || !(leakPerSecond > 0)) throw new HttpError(400, 'invalid_body', 'leakPerSecond must be a positive number');
  return { bucketSize, leakPerSecond };
}
