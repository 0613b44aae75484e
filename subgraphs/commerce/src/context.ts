import type { Identity } from '@crossdock/auth';
import type { ChannelIntake } from '@crossdock/channels';
import type { CommerceConnector } from '@crossdock/connectors';
import type { Order, OrderQuery, Page, PageRequest } from '@crossdock/model';
import { toCanonicalOrder, type OrderCapture } from '@crossdock/order-capture';
import { isHubOrderId, type PlacedOrder } from '@crossdock/orders';
import { asGraphQLError, DegradedReport, fromBackend, MAX_BACKEND_BATCH, mayRead } from '@crossdock/service';
import { listCacheKey, LIVE_ONLY, snapshotKind, type Fallback, type FallbackCache } from '@crossdock/snapshots';
import DataLoader from 'dataloader';
import { COMMERCE_UNAVAILABLE, callCommerceAfter } from './backend-errors';
import { fromCapture } from './capture-errors';
import type { OrderEvents } from './order-events';

/** Platform answers the fallback cache keeps; the names are what SNAPSHOT_MAX_AGE_BY_KIND configures. */
export const COMMERCE_SNAPSHOTS = {
  order: snapshotKind<Order | null>('commerce.order'),
  orderPage: snapshotKind<Page<Order>>('commerce.order-page'),
};

/** Per-request batching: every order asked for in one query-plan step costs one call per source. */
export interface CommerceLoaders {
  /**
   * Orders by id; null for an id nobody knows AND for an order outside the caller's customer or
   * channel (CONTRACT.md, Auth: not found, no hint). Every path to an order (order(id),
   * `_entities`, order lines, an exception's order) reads through here, so none can forget the
   * rule. Hub-captured orders (`ORD-H…`) come from the hub's order store, so an order is readable
   * the moment placeOrder accepted it, before the platform has heard of it; every other id from
   * the commerce platform.
   */
  orderById: DataLoader<string, Order | null>;
}

/** What the commerce subgraph runs on; the caller owns both. */
export interface CommerceDependencies {
  commerce: CommerceConnector;
  capture: OrderCapture;
  /** The fallback cache: the platform's answers while it is down (hub-captured orders need none). */
  snapshots?: FallbackCache | null;
  /** EDI partners, store webhooks and mapped marketplaces (submitEdi, ediDocuments); null when not configured. */
  channels?: ChannelIntake | null;
  /** Order status events and the orders stream (see order-events.ts); null without an event bus. */
  orderEvents?: OrderEvents | null;
}

/** What every commerce resolver gets. */
export interface CommerceContext {
  /** The caller as the gateway verified it; null in all-in-one demos and in-process tests. */
  identity: Identity | null;
  loaders: CommerceLoaders;
  /** placeOrder and cancelOrder. */
  capture: OrderCapture;
  /** submitEdi and ediDocuments; null when channel intake is not configured. */
  channels: ChannelIntake | null;
  /**
   * One page of orders, newest first, of those the caller may see. Lists are not batched: each
   * call is one backend call.
   */
  listOrders(query: OrderQuery, page: PageRequest): Promise<Page<Order>>;
  /** What this request answered from the fallback cache, for `extensions.degraded`. */
  degraded: DegradedReport;
  /** Order status events: published by the mutations, read by orderStatusChanged; null without an event bus. */
  orderEvents: OrderEvents | null;
}

/**
 * Builds a request's context. Loaders are fresh for every request, so nothing cached for one
 * caller is ever served to another.
 */
export function createCommerceContext(deps: CommerceDependencies, identity: Identity | null): CommerceContext {
  const degraded = new DegradedReport('commerce');
  const fallback = deps.snapshots?.forRequest(degraded) ?? LIVE_ONLY;
  return {
    identity,
    loaders: { orderById: orderLoader(deps, fallback, identity) },
    capture: deps.capture,
    channels: deps.channels ?? null,
    orderEvents: deps.orderEvents ?? null,
    // The query is part of the key: it already carries the caller's customer or channel scope.
    // The page is checked again all the same, so a platform that ignored a filter (or a stale
    // snapshot) can cost a short page but never leak an order.
    listOrders: async (query, page) => {
      const found = await callCommerceAfter(page.after, () =>
        fallback.list(COMMERCE_SNAPSHOTS.orderPage, listCacheKey({ query, page }), () => deps.commerce.listOrders(query, page)),
      );
      return { ...found, items: found.items.filter((order) => mayRead(identity, order)) };
    },
    degraded,
  };
}

function orderLoader({ commerce, capture }: CommerceDependencies, fallback: Fallback, identity: Identity | null): DataLoader<string, Order | null> {
  return new DataLoader<string, Order | null>(
    async (ids) => {
      const hubIds = ids.filter(isHubOrderId);
      const platformIds = ids.filter((id) => !isHubOrderId(id));
      // Settled one by one: the order store being down must not fail the platform's orders, nor the reverse.
      const [hub, platform] = await Promise.allSettled([
        hubIds.length === 0 ? [] : fromCapture(() => capture.hubOrdersByIds(hubIds)),
        platformIds.length === 0
          ? []
          : fromBackend(() => fallback.byKeys(COMMERCE_SNAPSHOTS.order, platformIds, (keys) => commerce.ordersByIds(keys)), COMMERCE_UNAVAILABLE),
      ]);
      const found = new Map<string, Order | Error | null>();
      if (hub.status === 'fulfilled') hubIds.forEach((id, i) => found.set(id, toOrderOrNull(hub.value[i])));
      if (platform.status === 'fulfilled') platformIds.forEach((id, i) => found.set(id, platform.value[i] ?? null));
      return ids.map((id) => {
        const source = isHubOrderId(id) ? hub : platform;
        if (source.status === 'rejected') return toError(source.reason);
        // An Error here is one order the fallback cache could not serve while the platform is down.
        const order = found.get(id) ?? null;
        if (order instanceof Error) return asGraphQLError(order, COMMERCE_UNAVAILABLE);
        return order !== null && mayRead(identity, order) ? order : null;
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
