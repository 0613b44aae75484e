import type { Identity } from '@crossdock/auth';
import type { CommerceConnector } from '@crossdock/connectors';
import type { Order, OrderQuery, Page, PageRequest } from '@crossdock/model';
import { batchLoader, fromBackend } from '@crossdock/service';
import type DataLoader from 'dataloader';
import { COMMERCE_UNAVAILABLE, callCommerceAfter } from './backend-errors';

/** Per-request batching: every order asked for in one query-plan step costs one backend call. */
export interface CommerceLoaders {
  /** Orders by id; null for an id the commerce platform does not know. */
  orderById: DataLoader<string, Order | null>;
}

/** What every commerce resolver gets. */
export interface CommerceContext {
  /** The caller as the gateway verified it; null in all-in-one demos and in-process tests. */
  identity: Identity | null;
  loaders: CommerceLoaders;
  /** One page of orders, newest first. Lists are not batched: each call is one backend call. */
  listOrders(query: OrderQuery, page: PageRequest): Promise<Page<Order>>;
}

/**
 * Builds a request's context. Loaders are fresh for every request, so nothing cached for one
 * caller is ever served to another.
 */
export function createCommerceContext(connector: CommerceConnector, identity: Identity | null): CommerceContext {
  return {
    identity,
    loaders: {
      orderById: batchLoader((ids: readonly string[]) => fromBackend(() => connector.ordersByIds(ids), COMMERCE_UNAVAILABLE)),
    },
    listOrders: (query, page) => callCommerceAfter(page.after, () => connector.listOrders(query, page)),
  };
}
