import { HttpError, Router, intParam } from './http-kit';
import { startSimServer, type RunningSimulator, type SimulatorOptions } from './sim-server';
import { parseCancel, parseOrderDraft, renderOrder, type StoreOrder } from './commerce-documents';
import { ORDERS_PATH, listOrders } from './commerce-listing';
import { ChannelInventory } from './channel-inventory';
import { CommerceStore } from './commerce-store';
import { MARKETPLACE_FEED_PATH, marketplaceOrders } from './marketplace-feed';

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
    // A marketplace's outgoing order webhooks, as raw bodies (for a channel configured by mapping only).
    .on('GET', MARKETPLACE_FEED_PATH, (req) => ({ body: { payloads: marketplaceOrders(intParam(req.query, 'from', 0, 0, 1_000_000), intParam(req.query, 'count', 10, 1, 500)) } }))
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
  // What the hub pushes to the channels' stock APIs (available-to-sell feeds).
  const inventory = new ChannelInventory();
  const sim = await startSimServer({
    ...options,
    name: 'sim-commerce',
    routes: inventory.routes(commerceRoutes(store)),
    admin: inventory.admin(new Router()),
    formatError: (status, code, message) => (status === 400 || status === 422 ? { errors: { [code]: [message] } } : { errors: message }),
    reset: () => {
      store.reset();
      inventory.reset();
    },
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
 * - `GET /marketplace/tradewind-market/orders.json?from=0&count=10`: `{ payloads: [<raw JSON>] }`,
 *   the order webhooks of a marketplace the hub takes through a mapping file (marketplace-feed.ts)
 * - stock the hub pushes to channels (channel-inventory.ts): `GET /admin/api/2026-01/inventory_items.json?skus=`,
 *   `POST /admin/api/2026-01/inventory_levels/set.json` `{ location_id, inventory_item_id, available }`,
 *   `POST /marketplace/{name}/inventory.json` `{ items: [{ sku, quantity, sequence }] }`,
 *   `POST /edi/{partner}/846` `{ document }`; write calls share a leaky bucket (40, 2/s; 429 +
 *   Retry-After), `POST /_admin/channel-inventory/limits` changes it, `GET /_admin/channel-inventory`
 *   shows what was set
 */
export async function startCommerceSimulator(options: CommerceSimulatorOptions = {}): Promise<RunningSimulator> {
  return (await launchCommerce(options)).sim;
}
