import { HttpError, Router, stringListField } from './http-kit';
import { startSimServer, type RunningSimulator, type SimulatorOptions } from './sim-server';
import { WebhookSender } from './webhook-sender';
import {
  parseAdjustment,
  parseAllocationRequest,
  parseCancelRequest,
  renderFulfillment,
  renderReleased,
  renderStock,
  renderWarehouse,
} from './wms-documents';
import { WmsStock } from './wms-stock';

/**
 * The WMS: snake_case REST, batch queries as POST bodies, integer quantities, timestamps in
 * epoch seconds, and its own short fulfillment state codes (see wms-documents.ts).
 */

/** Options of the WMS simulator. */
export interface WmsSimulatorOptions extends SimulatorOptions {
  /** Receives a stock-movement notice after every change of stock (adjust, allocation, cancel). */
  webhookUrl?: string;
  /** Signs notices: hex HMAC-SHA256 of the body in `X-WMS-Signature`. */
  webhookSecret?: string;
}

const MAX_BATCH = 100;

function wmsRoutes(stock: WmsStock): Router {
  return new Router()
    .on('GET', '/wms/v1/warehouses', () => ({ body: { warehouses: stock.warehouses.map(renderWarehouse) } }))
    .on('POST', '/wms/v1/stock/query', (req) => {
      const skus = stringListField(req.body, 'skus', MAX_BATCH);
      if (!skus) throw new HttpError(400, 'bad_request', '"skus" is required');
      return { body: { stock: skus.flatMap((sku) => stock.positionsOf(sku).map(renderStock)) } };
    })
    .on('POST', '/wms/v1/fulfillments/query', (req) => {
      const refs = stringListField(req.body, 'order_refs', MAX_BATCH);
      if (!refs) throw new HttpError(400, 'bad_request', '"order_refs" is required');
      return { body: { fulfillments: refs.flatMap((ref) => stock.fulfillment(ref) ?? []).map(renderFulfillment) } };
    })
    .on('POST', '/wms/v1/allocations', (req) => {
      const { fulfillment, created } = stock.allocate(parseAllocationRequest(req.body));
      return { status: created ? 201 : 200, body: { allocation: renderFulfillment(fulfillment) } };
    })
    .on('POST', '/wms/v1/allocations/:orderRef/cancel', (req) => {
      parseCancelRequest(req.body);
      const { fulfillment, released } = stock.cancel(req.params.orderRef ?? '');
      return { body: { allocation: renderFulfillment(fulfillment), released: released.map(renderReleased) } };
    });
}

/** The WMS simulator with its stock, which the activity driver moves in process. */
export async function launchWms(options: WmsSimulatorOptions = {}): Promise<{ sim: RunningSimulator; stock: WmsStock }> {
  const notices = new WebhookSender(
    options.webhookUrl ? { url: options.webhookUrl, secret: options.webhookSecret, signatureHeader: 'X-WMS-Signature' } : null,
    'sim-wms',
  );
  const stock = new WmsStock(notices);
  const admin = new Router().on('POST', '/_admin/adjust', (req) => ({ body: { stock: renderStock(stock.adjust(parseAdjustment(req.body))) } }));
  const sim = await startSimServer({
    ...options,
    name: 'sim-wms',
    routes: wmsRoutes(stock),
    admin,
    formatError: (_status, code, message) => ({ error: code, error_description: message }),
    reset: () => stock.reset(),
    onClose: () => stock.close(),
  });
  return { sim, stock };
}

/**
 * Starts the WMS simulator.
 *
 * - `GET /wms/v1/warehouses`
 * - `POST /wms/v1/stock/query` `{ "skus": [...] }`
 * - `POST /wms/v1/fulfillments/query` `{ "order_refs": [...] }`
 * - `POST /wms/v1/allocations` `{ "order_ref", "ship_to_code"?, "order_channel"?, "lines": [{ "item_code", "warehouse_code", "qty" }] }`:
 *   201 `{ allocation }` (state ALLOC, qty_reserved raised), 200 with the existing allocation for
 *   a known order_ref; 400 bad_request, 422 unknown_item/unknown_warehouse, 409
 *   insufficient_stock (nothing applied) or order_voided
 * - `POST /wms/v1/allocations/{order_ref}/cancel` `{ "reason"? }`: 200 `{ allocation (VOID),
 *   released: [{ item_code, warehouse_code, qty_released }] }` ([] on a repeat); 404
 *   unknown_order, 409 picking_started/already_shipped
 * - admin: `POST /_admin/adjust` `{ "sku", "warehouseId", "delta" }`
 *
 * Stock changes send `{ event: "stock.movement", movement_type: ADJUST|RESERVE|RELEASE, delta
 * (on hand), reserved_delta, order_ref?, ...stock }` to the webhook.
 */
export async function startWmsSimulator(options: WmsSimulatorOptions = {}): Promise<RunningSimulator> {
  return (await launchWms(options)).sim;
}
