import type { Allocation, Fulfillment, FulfillmentStatus, InventoryPosition, Warehouse } from '@crossdock/model';
import { groupInto, lookupAligned } from './batch';
import { JsonHttpClient, type ConnectorOptions, type JsonResponse, type JsonTransport } from './http-client';
import type { OrderOwner, WmsConnector } from './ports';
import { REFUSAL_STATUSES, ResponseReader, isObject, type JsonObject } from './response-reader';

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

  /** A 4xx answer, `{ "error": code, "error_description": text }`, as a client-error keeping both. */
  refusal(what: string, response: JsonResponse): never {
    const body = isObject(response.body) ? response.body : {};
    const code = typeof body.error === 'string' ? body.error : undefined;
    const message = typeof body.error_description === 'string' ? body.error_description : JSON.stringify(response.body);
    return this.refused(what, response.status, code, message);
  }

  released(line: JsonObject): Allocation {
    return {
      warehouseId: this.string(line, 'warehouse_code', 'released line'),
      sku: this.string(line, 'item_code', 'released line'),
      quantity: this.integer(line, 'qty_released', 'released line'),
    };
  }

  fulfillment(f: JsonObject): Fulfillment {
    return {
      orderId: this.string(f, 'order_ref', 'fulfillment'),
      customerId: this.nullableString(f, 'ship_to_code', 'fulfillment'),
      channel: this.nullableString(f, 'order_channel', 'fulfillment'),
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
    return warehousesFromList(await this.listWarehouses(), ids);
  }

  positionsBySkus(skus: readonly string[]): Promise<InventoryPosition[][]> {
    return lookupAligned(
      skus,
      async (chunk) => {
        // A query by POST only reads: safe to repeat.
        const response = await this.http.request({ method: 'POST', path: '/wms/v1/stock/query', body: { skus: chunk }, safeToRetry: true });
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
        const response = await this.http.request({ method: 'POST', path: '/wms/v1/fulfillments/query', body: { order_refs: chunk }, safeToRetry: true });
        const rows = this.read.objects(this.read.object(response.body, 'fulfillment query'), 'fulfillments', 'fulfillment query');
        return new Map(rows.map((f) => this.read.fulfillment(f)).map((f) => [f.orderId, f]));
      },
      () => null,
    );
  }

  /**
   * `POST /wms/v1/allocations`: the WMS reserves the stock and opens the fulfilment in ALLOC. It
   * is idempotent on order_ref, so a retry after a lost answer reserves nothing twice; a line the
   * warehouse cannot cover refuses the whole allocation (client-error "insufficient_stock").
   * `shipTo` goes as `ship_to_code` and `order_channel`, which the WMS keeps on the fulfilment.
   */
  async allocate(orderId: string, allocations: readonly Allocation[], shipTo?: OrderOwner): Promise<void> {
    const lines = allocations.map((a) => ({ item_code: a.sku, warehouse_code: a.warehouseId, qty: a.quantity }));
    const owner = shipTo ? { ship_to_code: shipTo.customerId, order_channel: shipTo.channel } : {};
    const body = { order_ref: orderId, ...owner, lines };
    const response = await this.http.request({ method: 'POST', path: '/wms/v1/allocations', body, acceptStatus: REFUSAL_STATUSES });
    if (response.status >= 400) this.read.refusal(`allocation of ${orderId}`, response);
    const answer = this.read.object(response.body, 'allocation answer');
    const allocation = this.read.fulfillment(this.read.object(answer.allocation, 'allocation answer.allocation'));
    if (allocation.orderId !== orderId) this.read.fail(`the WMS answered for order_ref "${allocation.orderId}", not "${orderId}"`);
  }

  /** Voids the allocation; the WMS answers what it released ([] on a repeat or for an order it never had). */
  async cancelAllocation(orderId: string): Promise<Allocation[]> {
    const path = `/wms/v1/allocations/${encodeURIComponent(orderId)}/cancel`;
    const response = await this.http.request({ method: 'POST', path, body: {}, acceptStatus: REFUSAL_STATUSES });
    if (response.status === 404 && isObject(response.body) && response.body.error === 'unknown_order') return [];
    if (response.status >= 400) this.read.refusal(`cancelling the allocation of ${orderId}`, response);
    return this.read.objects(this.read.object(response.body, 'cancel answer'), 'released', 'cancel answer').map((line) => this.read.released(line));
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** A stock movement the WMS pushes to its webhook, in the canonical model. */
export interface WmsStockMovement {
  movementId: string;
  /**
   * The WMS's number for the movement (`movement_seq`), growing with every movement; null when
   * the WMS sends none. Notices can overtake each other on the way; this says which came first.
   */
  sequence: number | null;
  movementType: 'ADJUST' | 'RESERVE' | 'RELEASE';
  /** Change of on hand. */
  delta: number;
  reservedDelta: number;
  /** The order a reservation or release was for; null for receipts and counts. */
  orderId: string | null;
  /** The position after the movement. */
  position: InventoryPosition;
}

const MOVEMENT_TYPES = { ADJUST: 'ADJUST', RESERVE: 'RESERVE', RELEASE: 'RELEASE' } as const;

/**
 * Reads the WMS's stock-movement notice (`{ event: "stock.movement", movement_id, movement_type,
 * delta, reserved_delta, order_ref?, ...stock }`). Anything else throws BackendError
 * 'bad-response' naming the field: the webhook refuses it and the exception store keeps it.
 */
export function readWmsStockMovement(body: unknown): WmsStockMovement {
  const read = new WmsReader('wms');
  const notice = read.object(body, 'stock notice');
  const event = read.string(notice, 'event', 'stock notice');
  if (event !== 'stock.movement') read.fail(`unknown stock notice event "${event}"`);
  return {
    movementId: read.string(notice, 'movement_id', 'stock notice'),
    sequence: read.nullableInteger(notice, 'movement_seq', 'stock notice'),
    movementType: read.mapped(MOVEMENT_TYPES, read.string(notice, 'movement_type', 'stock notice'), 'movement type'),
    delta: read.integer(notice, 'delta', 'stock notice'),
    reservedDelta: read.integer(notice, 'reserved_delta', 'stock notice'),
    orderId: read.nullableString(notice, 'order_ref', 'stock notice'),
    position: read.position(notice),
  };
}

/** The warehouses of `ids` found in a list of them, in the order of `ids`; null for an id the list lacks. */
export function warehousesFromList(list: readonly Warehouse[], ids: readonly string[]): (Warehouse | null)[] {
  const byId = new Map(list.map((warehouse) => [warehouse.id, warehouse]));
  return ids.map((id) => byId.get(id) ?? null);
}
