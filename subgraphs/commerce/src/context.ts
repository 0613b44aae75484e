import type { Identity } from '@crossdock/auth';
import type { CommerceConnector } from '@crossdock/connectors';
import type { Order, OrderQuery, Page, PageRequest } from '@crossdock/model';
import { toCanonicalOrder, type OrderCapture } from '@crossdock/order-capture';
import { isHubOrderId, type PlacedOrder } from '@crossdock/orders';
import { fromBackend, MAX_BACKEND_BATCH } from '@crossdock/service';
import DataLoader from 'dataloader';
import { COMMERCE_UNAVAILABLE, callCommerceAfter } from './backend-errors';
import { fromCapture } from './capture-errors';

/** Per-request batching: every order asked for in one query-plan step costs one call per source. */
export interface CommerceLoaders {
  /**
   * Orders by id; null for an id nobody knows. Hub-captured orders (`ORD-H…`) come from the
   * hub's order store, so an order is readable the moment placeOrder accepted it, before the
   * platform has heard of it; every other id from the commerce platform.
   */
  orderById: DataLoader<string, Order | null>;
}

/** What the commerce subgraph runs on; the caller owns both. */
export interface CommerceDependencies {
  commerce: CommerceConnector;
  capture: OrderCapture;
}

/** What every commerce resolver gets. */
export interface CommerceContext {
  /** The caller as the gateway verified it; null in all-in-one demos and in-process tests. */
  identity: Identity | null;
  loaders: CommerceLoaders;
  /** placeOrder and cancelOrder. */
  capture: OrderCapture;
  /** One page of orders, newest first. Lists are not batched: each call is one backend call. */
  listOrders(query: OrderQuery, page: PageRequest): Promise<Page<Order>>;
}

/**
 * Builds a request's context. Loaders are fresh for every request, so nothing cached for one
 * caller is ever served to another.
 */
export function createCommerceContext(deps: CommerceDependencies, identity: Identity | null): CommerceContext {
  return {
    identity,
    loaders: { orderById: orderLoader(deps) },
    capture: deps.capture,
    listOrders: (query, page) => callCommerceAfter(page.after, () => deps.commerce.listOrders(query, page)),
  };
}

function orderLoader({ commerce, capture }: CommerceDependencies): DataLoader<string, Order | null> {
  return new DataLoader<string, Order | null>(
    async (ids) => {
      const hubIds = ids.filter(isHubOrderId);
      const platformIds = ids.filter((id) => !isHubOrderId(id));
      // Settled one by one: the order store being down must not fail the platform's orders, nor the reverse.
      const [hub, platform] = await Promise.allSettled([
        hubIds.length === 0 ? [] : fromCapture(() => capture.hubOrdersByIds(hubIds)),
        platformIds.length === 0 ? [] : fromBackend(() => commerce.ordersByIds(platformIds), COMMERCE_UNAVAILABLE),
      ]);
      const found = new Map<string, Order | null>();
      if (hub.status === 'fulfilled') hubIds.forEach((id, i) => found.set(id, toOrderOrNull(hub.value[i])));
      if (platform.status === 'fulfilled') platformIds.forEach((id, i) => found.set(id, platform.value[i] ?? null));
      return ids.map((id) => {
        const source = isHubOrderId(id) ? hub : platform;
        return source.status === 'rejected' ? toError(source.reason) : (found.get(id) ?? null);
      });
    },
    { maxBatchSize: MAX_BACKEND_BATCH },
  );
}

function toOrderOrNull(placed: PlacedOrder | null | undefined): Order | null {
  return placed ? toCanonicalOrder(placed) : null;
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
