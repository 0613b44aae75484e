import { randomUUID } from 'node:crypto';
import type { FulfillmentStatus } from '@crossdock/model';
import { HttpError, Router, isRecord, stringListField } from './http-kit';
import { startSimServer, type RunningSimulator, type SimulatorOptions } from './sim-server';
import { WebhookSender } from './webhook-sender';
import { generateWorld, groupBy, type World, type WorldFulfillment, type WorldPosition, type WorldWarehouse } from './world';

/**
 * The WMS: snake_case REST, batch queries as POST bodies, integer quantities, timestamps in
 * epoch seconds, and its own short fulfillment state codes.
 */

/** Options of the WMS simulator. */
export interface WmsSimulatorOptions extends SimulatorOptions {
  /** Receives a stock-movement notice after every `/_admin/adjust`. */
  webhookUrl?: string;
  /** Signs notices: hex HMAC-SHA256 of the body in `X-WMS-Signature`. */
  webhookSecret?: string;
}

const MAX_BATCH = 100;
/** The WMS's own state codes; VOID is a cancelled order the WMS never allocated. */
const WMS_STATE: Record<FulfillmentStatus, string> = {
  UNALLOCATED: 'NEW',
  ALLOCATED: 'ALLOC',
  PICKING: 'PICK',
  PACKED: 'PACK',
  PARTIALLY_SHIPPED: 'PART_SHIP',
  SHIPPED: 'SHIPPED',
};

interface WmsIndex {
  warehouses: WorldWarehouse[];
  warehousesById: Map<string, WorldWarehouse>;
  skus: Set<string>;
  positionsBySku: Map<string, WorldPosition[]>;
  fulfillmentsByOrder: Map<string, WorldFulfillment>;
}

function indexWorld(world: World): WmsIndex {
  const warehouses = [...world.warehouses].sort((a, b) => a.priority - b.priority);
  const priority = new Map(warehouses.map((w) => [w.id, w.priority]));
  const positionsBySku = groupBy(world.positions, (p) => p.sku);
  for (const list of positionsBySku.values()) list.sort((a, b) => (priority.get(a.warehouseId) ?? 0) - (priority.get(b.warehouseId) ?? 0));
  return {
    warehouses,
    warehousesById: new Map(warehouses.map((w) => [w.id, w])),
    skus: new Set(world.products.map((p) => p.sku)),
    positionsBySku,
    fulfillmentsByOrder: new Map(world.fulfillments.map((f) => [f.orderId, f])),
  };
}

const epochSeconds = (ms: number) => Math.floor(ms / 1000);

function renderWarehouse(w: WorldWarehouse) {
  return { warehouse_code: w.id, warehouse_name: w.name, region_code: w.region, pick_priority: w.priority };
}

function renderStock(p: WorldPosition) {
  return {
    item_code: p.sku,
    warehouse_code: p.warehouseId,
    qty_on_hand: p.onHand,
    qty_reserved: p.reserved,
    qty_safety: p.safetyStock,
    last_movement_ts: epochSeconds(p.updatedAtMs),
  };
}

function renderFulfillment(f: WorldFulfillment) {
  return {
    order_ref: f.orderId,
    state: f.voided ? 'VOID' : WMS_STATE[f.status],
    lines: f.allocations.map((a) => ({ item_code: a.sku, warehouse_code: a.warehouseId, qty_allocated: a.quantity })),
    updated_ts: epochSeconds(f.updatedAtMs),
  };
}

interface Adjustment {
  sku: string;
  warehouseId: string;
  delta: number;
}

function parseAdjustment(body: unknown, index: WmsIndex): Adjustment {
  if (!isRecord(body)) throw new HttpError(400, 'bad_request', 'the body must be a JSON object');
  const { sku, warehouseId, delta } = body;
  if (typeof sku !== 'string' || !index.skus.has(sku)) throw new HttpError(400, 'unknown_item', `unknown sku ${JSON.stringify(sku)}`);
  if (typeof warehouseId !== 'string' || !index.warehousesById.has(warehouseId)) {
    throw new HttpError(400, 'unknown_warehouse', `unknown warehouseId ${JSON.stringify(warehouseId)}`);
  }
  if (typeof delta !== 'number' || !Number.isSafeInteger(delta) || delta === 0) {
    throw new HttpError(400, 'bad_request', '"delta" must be a non-zero integer');
  }
  return { sku, warehouseId, delta };
}

/** Applies a receipt or count; a SKU new to the warehouse gets a fresh position. */
function applyAdjustment(index: WmsIndex, { sku, warehouseId, delta }: Adjustment): WorldPosition {
  const positions = index.positionsBySku.get(sku) ?? [];
  let position = positions.find((p) => p.warehouseId === warehouseId);
  const onHand = (position?.onHand ?? 0) + delta;
  if (onHand < 0) throw new HttpError(400, 'negative_stock', `on hand would drop to ${onHand}`);
  if (!position) {
    position = { sku, warehouseId, onHand: 0, reserved: 0, safetyStock: 0, updatedAtMs: 0 };
    positions.push(position);
    index.positionsBySku.set(sku, positions);
  }
  position.onHand = onHand;
  // Wall-clock time for live movements, but never before the seeded history.
  position.updatedAtMs = Math.max(Date.now(), position.updatedAtMs + 1000);
  return position;
}

/**
 * Starts the WMS simulator.
 *
 * - `GET /wms/v1/warehouses`
 * - `POST /wms/v1/stock/query` `{ "skus": [...] }`
 * - `POST /wms/v1/fulfillments/query` `{ "order_refs": [...] }`
 * - admin: `POST /_admin/adjust` `{ "sku", "warehouseId", "delta" }`
 */
export async function startWmsSimulator(options: WmsSimulatorOptions = {}): Promise<RunningSimulator> {
  let index = indexWorld(generateWorld());
  const webhooks = new WebhookSender(
    options.webhookUrl ? { url: options.webhookUrl, secret: options.webhookSecret, signatureHeader: 'X-WMS-Signature' } : null,
    'sim-wms',
  );
  const routes = new Router()
    .on('GET', '/wms/v1/warehouses', () => ({ body: { warehouses: index.warehouses.map(renderWarehouse) } }))
    .on('POST', '/wms/v1/stock/query', (req) => {
      const skus = stringListField(req.body, 'skus', MAX_BATCH);
      if (!skus) throw new HttpError(400, 'bad_request', '"skus" is required');
      return { body: { stock: skus.flatMap((sku) => (index.positionsBySku.get(sku) ?? []).map(renderStock)) } };
    })
    .on('POST', '/wms/v1/fulfillments/query', (req) => {
      const refs = stringListField(req.body, 'order_refs', MAX_BATCH);
      if (!refs) throw new HttpError(400, 'bad_request', '"order_refs" is required');
      return {
        body: {
          fulfillments: refs.flatMap((ref) => {
            const f = index.fulfillmentsByOrder.get(ref);
            return f ? [renderFulfillment(f)] : [];
          }),
        },
      };
    });
  const admin = new Router().on('POST', '/_admin/adjust', (req) => {
    const adjustment = parseAdjustment(req.body, index);
    const position = applyAdjustment(index, adjustment);
    const stock = renderStock(position);
    webhooks.send({ event: 'stock.movement', movement_id: randomUUID(), delta: adjustment.delta, ...stock });
    return { body: { stock } };
  });
  return startSimServer({
    ...options,
    name: 'sim-wms',
    routes,
    admin,
    formatError: (_status, code, message) => ({ error: code, error_description: message }),
    reset: () => {
      index = indexWorld(generateWorld());
    },
    onClose: () => webhooks.close(),
  });
}
