import type { FulfillmentStatus } from '@crossdock/model';
import { HttpError, isRecord } from './http-kit';
import type { WorldAllocation, WorldFulfillment, WorldPosition, WorldWarehouse } from './world';

/** Whom an outbound order ships to and the sales channel it came through, as the WMS keeps them. */
export interface ShipTo {
  customerCode: string;
  channel: string;
}

/** A fulfilment as the WMS keeps it: the world's, plus its ship-to (null when never told). */
export interface WmsFulfillment extends WorldFulfillment {
  shipTo: ShipTo | null;
}

/**
 * The WMS's records, both ways: snake_case, integer quantities, timestamps in epoch seconds, its
 * own short fulfilment state codes, errors as `{ "error", "error_description" }`.
 */

/** The WMS's own state codes; VOID is a cancelled order, with nothing allocated. */
const WMS_STATE: Record<FulfillmentStatus, string> = {
  UNALLOCATED: 'NEW',
  ALLOCATED: 'ALLOC',
  PICKING: 'PICK',
  PACKED: 'PACK',
  PARTIALLY_SHIPPED: 'PART_SHIP',
  SHIPPED: 'SHIPPED',
};
const MAX_LINES = 100;
const MAX_REF = 100;

const epochSeconds = (ms: number) => Math.floor(ms / 1000);

/** A warehouse master record. */
export function renderWarehouse(w: WorldWarehouse) {
  return { warehouse_code: w.id, warehouse_name: w.name, region_code: w.region, pick_priority: w.priority };
}

/** A stock position; also the body of every stock-movement notice. */
export function renderStock(p: WorldPosition) {
  return {
    item_code: p.sku,
    warehouse_code: p.warehouseId,
    qty_on_hand: p.onHand,
    qty_reserved: p.reserved,
    qty_safety: p.safetyStock,
    last_movement_ts: epochSeconds(p.updatedAtMs),
  };
}

/** A fulfilment (also what an allocation answers with). */
export function renderFulfillment(f: WmsFulfillment) {
  return {
    order_ref: f.orderId,
    ship_to_code: f.shipTo?.customerCode ?? null,
    order_channel: f.shipTo?.channel ?? null,
    state: f.voided ? 'VOID' : WMS_STATE[f.status],
    lines: f.allocations.map((a) => ({ item_code: a.sku, warehouse_code: a.warehouseId, qty_allocated: a.quantity })),
    updated_ts: epochSeconds(f.updatedAtMs),
  };
}

/** A line a cancel released from reservation. */
export function renderReleased(a: WorldAllocation) {
  return { item_code: a.sku, warehouse_code: a.warehouseId, qty_released: a.quantity };
}

/** A receipt or cycle count (`POST /_admin/adjust`). */
export interface Adjustment {
  sku: string;
  warehouseId: string;
  delta: number;
}

/** What `POST /wms/v1/allocations` asks for, checked for shape. */
export interface AllocationRequest {
  orderRef: string;
  /** Optional on the wire (`ship_to_code` and `order_channel`, both or neither). */
  shipTo: ShipTo | null;
  lines: WorldAllocation[];
}

const badRequest = (message: string) => new HttpError(400, 'bad_request', message);

/** Shape only; whether the SKU and warehouse exist is the stock's business. */
export function parseAdjustment(body: unknown): Adjustment {
  if (!isRecord(body)) throw badRequest('the body must be a JSON object');
  const { sku, warehouseId, delta } = body;
  if (typeof sku !== 'string') throw new HttpError(400, 'unknown_item', `unknown sku ${JSON.stringify(sku)}`);
  if (typeof warehouseId !== 'string') throw new HttpError(400, 'unknown_warehouse', `unknown warehouseId ${JSON.stringify(warehouseId)}`);
  if (typeof delta !== 'number' || !Number.isSafeInteger(delta) || delta === 0) throw badRequest('"delta" must be a non-zero integer');
  return { sku, warehouseId, delta };
}

function code(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_REF) throw badRequest(`"${field}" must be a non-empty string of at most ${MAX_REF} characters`);
  return value;
}

/** Checks a `POST /wms/v1/allocations` body for shape; stock and master data are the stock's business. */
export function parseAllocationRequest(body: unknown): AllocationRequest {
  if (!isRecord(body)) throw badRequest('the body must be a JSON object');
  const orderRef = code(body.order_ref, 'order_ref');
  const shipTo = parseShipTo(body);
  if (!Array.isArray(body.lines) || body.lines.length === 0 || body.lines.length > MAX_LINES) {
    throw badRequest(`"lines" must list 1 to ${MAX_LINES} lines`);
  }
  const lines = body.lines.map((line: unknown, i): WorldAllocation => {
    if (!isRecord(line)) throw badRequest(`lines[${i}] must be an object`);
    const qty = line.qty;
    if (typeof qty !== 'number' || !Number.isSafeInteger(qty) || qty < 1) throw badRequest(`lines[${i}].qty must be a positive integer`);
    return { sku: code(line.item_code, `lines[${i}].item_code`), warehouseId: code(line.warehouse_code, `lines[${i}].warehouse_code`), quantity: qty };
  });
  return { orderRef, shipTo, lines };
}

function parseShipTo(body: Record<string, unknown>): ShipTo | null {
  if ((body.ship_to_code === undefined || body.ship_to_code === null) && (body.order_channel === undefined || body.order_channel === null)) return null;
  return { customerCode: code(body.ship_to_code, 'ship_to_code'), channel: code(body.order_channel, 'order_channel') };
}

/** A cancel carries no required data, but what it carries must be a JSON object. */
export function parseCancelRequest(body: unknown): void {
  if (!isRecord(body)) throw badRequest('the body must be a JSON object');
  if (body.reason !== undefined && typeof body.reason !== 'string') throw badRequest('"reason" must be a string');
}
