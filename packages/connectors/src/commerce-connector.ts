import { CursorError, toIsoUtc, type Order, type OrderQuery, type OrderStatus, type Page, type PageRequest } from '@crossdock/model';
import { BackendError } from './backend-error';
import { listableKeys, lookupAligned } from './batch';
import { JsonHttpClient, type ConnectorOptions, type JsonResponse, type JsonTransport } from './http-client';
import type { CommerceConnector } from './ports';
import { REFUSAL_STATUSES, ResponseReader, isObject, type JsonObject } from './response-reader';

const API_BASE = '/admin/api/2026-01';
const ORDERS_PATH = `${API_BASE}/orders.json`;
/** The platform's page limit. */
const COMMERCE_MAX_LIMIT = 250;
/** The platform's order states, in the hub's terms. */
const STATUSES: Record<string, OrderStatus> = {
  open: 'ACCEPTED',
  on_hold: 'ON_HOLD',
  in_progress: 'ALLOCATED',
  partially_fulfilled: 'PARTIALLY_SHIPPED',
  fulfilled: 'SHIPPED',
  delivered: 'DELIVERED',
  cancelled: 'CANCELLED',
};
const STATUS_CODES: Record<OrderStatus, string> = {
  ACCEPTED: 'open',
  ON_HOLD: 'on_hold',
  ALLOCATED: 'in_progress',
  PARTIALLY_SHIPPED: 'partially_fulfilled',
  SHIPPED: 'fulfilled',
  DELIVERED: 'delivered',
  CANCELLED: 'cancelled',
};

/** Reads the store's orders. The hub's order id is the order `name`, not the numeric `id`. */
class StoreReader extends ResponseReader {
  order(o: JsonObject): Order {
    const id = this.string(o, 'name', 'order');
    return {
      id,
      channel: this.string(o, 'source_name', 'order'),
      externalRef: this.nullableString(o, 'source_identifier', 'order'),
      status: this.mapped(STATUSES, this.string(o, 'status', 'order'), 'order status'),
      placedAt: this.time(this.string(o, 'created_at', 'order'), 'order.created_at'),
      customerId: this.string(this.object(o.customer, 'order.customer'), 'id', 'order.customer'),
      // Line numbers are the position in line_items, as the ERP counts them.
      lines: this.objects(o, 'line_items', 'order').map((line, i) => ({
        orderId: id,
        lineNumber: i + 1,
        sku: this.string(line, 'sku', 'order line'),
        quantity: this.integer(line, 'quantity', 'order line'),
      })),
    };
  }

  orders(body: unknown): Order[] {
    return this.objects(this.object(body, 'orders'), 'orders', 'orders').map((o) => this.order(o));
  }

  /** The `{ "order": {...} }` envelope of a write's answer. */
  single(body: unknown): Order {
    return this.order(this.object(this.object(body, 'answer').order, 'answer.order'));
  }

  /**
   * A 4xx answer: `{ "errors": { "field": ["text"] } }` or `{ "errors": "text" }`. The first field
   * becomes the code ("base" for refusals about the whole order); every text is kept.
   */
  refusal(what: string, response: JsonResponse): never {
    const errors = isObject(response.body) ? response.body.errors : undefined;
    if (typeof errors === 'string') return this.refused(what, response.status, undefined, errors);
    if (!isObject(errors)) return this.refused(what, response.status, undefined, JSON.stringify(response.body));
    const fields = Object.keys(errors);
    const message = fields.map((field) => {
      const texts = errors[field];
      return `${field} ${Array.isArray(texts) ? texts.map(String).join(', ') : String(texts)}`;
    });
    return this.refused(what, response.status, fields[0], message.join('; '));
  }
}

/** The commerce platform's orders, through its store API with `page_info` cursor paging. */
export class CommerceHttpConnector implements CommerceConnector {
  private readonly http: JsonTransport;
  private readonly read = new StoreReader('commerce');

  constructor(options: ConnectorOptions) {
    this.http = options.transport ?? new JsonHttpClient({ ...options, backend: 'commerce' });
  }

  ordersByIds(ids: readonly string[]): Promise<(Order | null)[]> {
    return lookupAligned(
      ids,
      async (chunk) => {
        const names = listableKeys(chunk);
        if (names.length === 0) return new Map();
        // The platform applies `limit` to id lookups too; without it a batch would be cut at 50.
        const response = await this.http.request({ method: 'GET', path: ORDERS_PATH, query: { names: names.join(','), limit: names.length } });
        return new Map(this.read.orders(response.body).map((o) => [o.id, o]));
      },
      () => null,
    );
  }

  /**
   * Newest first. An empty `status` list means no status filter. `placedBefore` is exclusive
   * while the platform's `created_at_max` is inclusive, so it is sent one millisecond earlier.
   */
  async listOrders(query: OrderQuery, page: PageRequest): Promise<Page<Order>> {
    if (!Number.isInteger(page.first) || page.first < 1) throw new CursorError(`"first" must be a positive integer, got ${page.first}`);
    const limit = Math.min(page.first, COMMERCE_MAX_LIMIT);
    // A page_info token carries the filter; the platform refuses filters next to it.
    const params = page.after ? { page_info: page.after, limit } : { ...filterParams(query), limit };
    const response = await this.http.request({ method: 'GET', path: ORDERS_PATH, query: params });
    return { items: this.read.orders(response.body), nextCursor: nextPageInfo(response.headers.link) };
  }

  /**
   * Records the order in the store, named by the hub's order id; the store is idempotent on the
   * name (201 created, 200 already there). The store numbers lines by position, so lines are sent
   * in lineNumber order. Order lines carry no price in the model, so line items go without one.
   */
  async createOrder(order: Order): Promise<void> {
    const lines = [...order.lines].sort((a, b) => a.lineNumber - b.lineNumber);
    const body = {
      order: {
        name: order.id,
        source_name: order.channel,
        source_identifier: order.externalRef,
        status: STATUS_CODES[order.status],
        created_at: toIsoUtc(order.placedAt),
        customer: { id: order.customerId },
        line_items: lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
      },
    };
    const response = await this.http.request({ method: 'POST', path: ORDERS_PATH, body, acceptStatus: REFUSAL_STATUSES });
    if (response.status >= 400) this.read.refusal(`order ${order.id}`, response);
    const recorded = this.read.single(response.body);
    if (recorded.id !== order.id) this.read.fail(`the store answered with order "${recorded.id}", not "${order.id}"`);
  }

  /**
   * The store cancels by its numeric id, so the order is looked up by name first (two calls). An
   * order already cancelled is left alone; one the store never had is a client-error "not_found".
   */
  async cancelOrder(orderId: string, reason: string | null): Promise<void> {
    const names = listableKeys([orderId]);
    const listing = names.length === 0 ? null : await this.http.request({ method: 'GET', path: ORDERS_PATH, query: { names: orderId, limit: 1 } });
    const row = listing ? this.read.objects(this.read.object(listing.body, 'orders'), 'orders', 'orders').find((o) => o.name === orderId) : undefined;
    if (!row) throw new BackendError({ backend: 'commerce', kind: 'client-error', status: 404, code: 'not_found', message: `no order named ${orderId} to cancel` });
    if (this.read.string(row, 'status', 'order') === STATUS_CODES.CANCELLED) return;
    const storeId = this.read.integer(row, 'id', 'order');
    const body = reason === null ? { reason: 'other' } : { reason: 'other', staff_note: reason };
    const response = await this.http.request({ method: 'POST', path: `${API_BASE}/orders/${storeId}/cancel.json`, body, acceptStatus: REFUSAL_STATUSES });
    if (response.status >= 400) this.read.refusal(`cancelling order ${orderId}`, response);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function filterParams(query: OrderQuery): Record<string, string | undefined> {
  const statuses = query.status && query.status.length > 0 ? query.status.map((s) => STATUS_CODES[s]).join(',') : undefined;
  return {
    customer_id: query.customerId ?? undefined,
    source_name: query.channel ?? undefined,
    status: statuses,
    created_at_min: query.placedAfter ? toIsoUtc(query.placedAfter) : undefined,
    created_at_max: query.placedBefore ? toIsoUtc(new Date(toIsoUtc(query.placedBefore)).getTime() - 1) : undefined,
  };
}

/** The `page_info` of the `rel="next"` link, if the platform sent one. */
function nextPageInfo(link: string | string[] | undefined): string | null {
  const header = Array.isArray(link) ? link.join(', ') : link;
  if (!header) return null;
  for (const [, target, rel] of header.matchAll(/<([^>]*)>\s*;\s*rel="?([^";,]*)"?/g)) {
    if (rel === 'next' && target) return new URL(target, 'http://link.invalid').searchParams.get('page_info');
  }
  return null;
}
