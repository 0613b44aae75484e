import type { Fulfillment, FulfillmentStatus, InventoryPosition, Warehouse } from '@crossdock/model';
import { groupInto, lookupAligned } from './batch';
import { JsonHttpClient, type ConnectorOptions, type JsonTransport } from './http-client';
import type { WmsConnector } from './ports';
import { ResponseReader, type JsonObject } from './response-reader';

/** The WMS's state codes. VOID is an order cancelled before allocation: nothing is allocated. */
const STATES: Record<string, FulfillmentStatus> = {
  NEW: 'UNALLOCATED',
  VOID: 'UNALLOCATED',
  ALLOC: 'ALLOCATED',
  PICK: 'PICKING',
  PACK: 'PACKED',
  PART_SHIP: 'PARTIALLY_SHIPPED',
  SHIPPED: 'SHIPPED',
};

/** Reads the WMS's snake_case records; its timestamps are epoch seconds. */
class WmsReader extends ResponseReader {
  epochSeconds(parent: JsonObject, key: string, what: string): string {
    return this.time(this.integer(parent, key, what) * 1000, `${what}.${key}`);
  }

  warehouse(w: JsonObject): Warehouse {
    return {
      id: this.string(w, 'warehouse_code', 'warehouse'),
      name: this.string(w, 'warehouse_name', 'warehouse'),
      region: this.string(w, 'region_code', 'warehouse'),
      priority: this.integer(w, 'pick_priority', 'warehouse'),
    };
  }

  position(s: JsonObject): InventoryPosition {
    return {
      sku: this.string(s, 'item_code', 'stock'),
      warehouseId: this.string(s, 'warehouse_code', 'stock'),
      onHand: this.integer(s, 'qty_on_hand', 'stock'),
      reserved: this.integer(s, 'qty_reserved', 'stock'),
      safetyStock: this.integer(s, 'qty_safety', 'stock'),
      updatedAt: this.epochSeconds(s, 'last_movement_ts', 'stock'),
    };
  }

  fulfillment(f: JsonObject): Fulfillment {
    return {
      orderId: this.string(f, 'order_ref', 'fulfillment'),
      status: this.mapped(STATES, this.string(f, 'state', 'fulfillment'), 'fulfillment state'),
      allocations: this.objects(f, 'lines', 'fulfillment').map((l) => ({
        warehouseId: this.string(l, 'warehouse_code', 'fulfillment line'),
        sku: this.string(l, 'item_code', 'fulfillment line'),
        quantity: this.integer(l, 'qty_allocated', 'fulfillment line'),
      })),
    };
  }
}

/** The WMS (warehouses, stock, fulfillments). Batch queries are POSTed as JSON lists. */
export class WmsHttpConnector implements WmsConnector {
  private readonly http: JsonTransport;
  private readonly read = new WmsReader('wms');

  constructor(options: ConnectorOptions) {
    this.http = options.transport ?? new JsonHttpClient({ ...options, backend: 'wms' });
  }

  async listWarehouses(): Promise<Warehouse[]> {
    const response = await this.http.request({ method: 'GET', path: '/wms/v1/warehouses' });
    return this.read.objects(this.read.object(response.body, 'warehouses'), 'warehouses', 'warehouses').map((w) => this.read.warehouse(w));
  }

  /** The WMS has no lookup by id; its warehouse list is short, so one list call serves any batch. */
  async warehousesByIds(ids: readonly string[]): Promise<(Warehouse | null)[]> {
    if (ids.length === 0) return [];
    const byId = new Map((await this.listWarehouses()).map((w) => [w.id, w]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  positionsBySkus(skus: readonly string[]): Promise<InventoryPosition[][]> {
    return lookupAligned(
      skus,
      async (chunk) => {
        const response = await this.http.request({ method: 'POST', path: '/wms/v1/stock/query', body: { skus: chunk } });
        const rows = this.read.objects(this.read.object(response.body, 'stock query'), 'stock', 'stock query');
        return groupInto(rows.map((s) => this.read.position(s)), (p) => p.sku);
      },
      () => [],
    );
  }

  fulfillmentsByOrderIds(orderIds: readonly string[]): Promise<(Fulfillment | null)[]> {
    return lookupAligned(
      orderIds,
      async (chunk) => {
        const response = await this.http.request({ method: 'POST', path: '/wms/v1/fulfillments/query', body: { order_refs: chunk } });
        const rows = this.read.objects(this.read.object(response.body, 'fulfillment query'), 'fulfillments', 'fulfillment query');
        return new Map(rows.map((f) => this.read.fulfillment(f)).map((f) => [f.orderId, f]));
      },
      () => null,
    );
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
