import { HttpError, Router } from './http-kit';
import { startSimServer, type RunningSimulator, type SimulatorOptions } from './sim-server';
import { parseCancel, parseOrderDraft, renderOrder, type StoreOrder } from './commerce-documents';
import { ORDERS_PATH, listOrders } from './commerce-listing';
import { CommerceStore } from './commerce-store';

export { COMMERCE_STATUS } from './commerce-documents';

/**
 * The commerce platform: Shopify-flavoured store JSON (see commerce-documents.ts), newest first,
 * cursor paging (see commerce-listing.ts).
 */

/** Options of the commerce simulator. */
export type CommerceSimulatorOptions = SimulatorOptions;

const CANCEL_PATH = '/admin/api/2026-01/orders/:id/cancel.json';

function commerceRoutes(store: CommerceStore): Router {
  const render = (o: StoreOrder) => renderOrder(o, store.customerName(o.customerId));
  return new Router()
    .on('GET', ORDERS_PATH, (req) => listOrders(req, store, render))
    .on('POST', ORDERS_PATH, (req) => {
      const { order, created } = store.create(parseOrderDraft(req.body));
      return { status: created ? 201 : 200, body: { order: render(order) } };
    })
    .on('POST', CANCEL_PATH, (req) => {
      const id = req.params.id ?? '';
      if (!/^\d{1,15}$/.test(id)) throw new HttpError(404, 'not_found', 'Not Found');
      const { reason, note } = parseCancel(req.body);
      return { body: { order: render(store.cancel(Number(id), reason, note)) } };
    });
}

/** The commerce simulator with its store, which the activity driver fills in process. */
export async function launchCommerce(options: CommerceSimulatorOptions = {}): Promise<{ sim: RunningSimulator; store: CommerceStore }> {
  const store = new CommerceStore();
  const sim = await startSimServer({
    ...options,
    name: 'sim-commerce',
    routes: commerceRoutes(store),
    formatError: (status, code, message) => (status === 400 || status === 422 ? { errors: { [code]: [message] } } : { errors: message }),
    reset: () => store.reset(),
  });
  return { sim, store };
}

/**
 * Starts the commerce simulator.
 *
 * - `GET /admin/api/2026-01/orders.json` with `ids` (numeric) or `names` (hub order ids),
 *   `customer_id`, `source_name`, `status` (comma list or `any`), `created_at_min`/`created_at_max`
 *   (inclusive), `limit` (≤ 250), or `page_info` from the `Link` header (then only `limit`).
 * - `POST /admin/api/2026-01/orders.json` `{ order: { name, source_name, source_identifier?,
 *   status?, customer: { id }, line_items: [{ sku, quantity, price? }], created_at, currency? } }`:
 *   201 `{ order }` with a new numeric id, 200 with the existing order for a known name; 400 for
 *   a malformed body, 422 for an unknown customer or another currency
 * - `POST /admin/api/2026-01/orders/{id}/cancel.json` `{ reason?, staff_note? }`: 200 `{ order }`
 *   (also when already cancelled); 404, 422 when (partially) fulfilled or delivered
 */
export async function startCommerceSimulator(options: CommerceSimulatorOptions = {}): Promise<RunningSimulator> {
  return (await launchCommerce(options)).sim;
}
