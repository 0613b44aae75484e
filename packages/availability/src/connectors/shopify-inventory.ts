import type { ChannelConnector, PushItem, PushOutcome } from '../ports';
import { getJson, isRecord, postJson } from './http-push';

/** The store's admin API version these calls follow. */
const API = '/admin/api/2026-01';

/** Options of the Shopify-style connector. */
export interface ShopifyInventoryOptions {
  /** The store's admin base URL. */
  baseUrl: string;
  /** Our warehouse → the store's location id. */
  locations: Readonly<Record<string, number>>;
}

/**
 * A Shopify-style store: `POST /admin/api/2026-01/inventory_levels/set.json` with
 * `{ location_id, inventory_item_id, available }`, one item and location per call. The store
 * names items by its own inventory item id, looked up once per SKU and kept.
 */
export class ShopifyInventoryConnector implements ChannelConnector {
  readonly maxBatch = 1;
  private readonly itemIds = new Map<string, number>();

  constructor(private readonly options: ShopifyInventoryOptions) {}

  async push(items: readonly PushItem[]): Promise<PushOutcome[]> {
    return Promise.all(items.map((item) => this.set(item)));
  }

  private async set(item: PushItem): Promise<PushOutcome> {
    const locationId = this.options.locations[item.location];
    if (locationId === undefined) return { status: 'rejected', reason: `no store location for warehouse ${item.location}`, payload: JSON.stringify(item) };
    let inventoryItemId: number | null;
    try {
      inventoryItemId = await this.inventoryItemId(item.sku);
    } catch (error) {
      return { status: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
    }
    if (inventoryItemId === null) return { status: 'rejected', reason: `the store has no inventory item for SKU ${item.sku}`, payload: JSON.stringify(item) };
    const answer = await postJson(`${this.options.baseUrl}${API}/inventory_levels/set.json`, { location_id: locationId, inventory_item_id: inventoryItemId, available: item.quantity });
    return answer.ok ? { status: 'acknowledged' } : answer.outcome;
  }

  private async inventoryItemId(sku: string): Promise<number | null> {
    const known = this.itemIds.get(sku);
    if (known !== undefined) return known;
    const body = await getJson(`${this.options.baseUrl}${API}/inventory_items.json?skus=${encodeURIComponent(sku)}`);
    const rows = isRecord(body) && Array.isArray(body.inventory_items) ? body.inventory_items : [];
    for (const row of rows) if (isRecord(row) && typeof row.id === 'number' && typeof row.sku === 'string') this.itemIds.set(row.sku, row.id);
    return this.itemIds.get(sku) ?? null;
  }
}
