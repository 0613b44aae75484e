import { CursorError, toIsoUtc, type Order, type OrderQuery, type OrderStatus, type Page, type PageRequest } from '@crossdock/model';
import { listableKeys, lookupAligned } from './batch';
import { JsonHttpClient, type ConnectorOptions, type JsonTransport } from './http-client';
import type { CommerceConnector } from './ports';
import { ResponseReader, type JsonObject } from './response-reader';

const ORDERS_PATH = '/admin/api/2026-01/orders.json';
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
