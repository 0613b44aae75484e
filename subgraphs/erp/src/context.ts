import type { Identity } from '@crossdock/auth';
import type { ErpConnector } from '@crossdock/connectors';
import type { Customer, ErpOrder, Invoice, Page, PageRequest, Product } from '@crossdock/model';
import type { OrderStore, PlacedOrder } from '@crossdock/orders';
import { batchLoader, DegradedReport, fromBackend } from '@crossdock/service';
import { listCacheKey, LIVE_ONLY, snapshotKind, type FallbackCache } from '@crossdock/snapshots';
import type DataLoader from 'dataloader';

/** ERP answers the fallback cache keeps; the names are what SNAPSHOT_MAX_AGE_BY_KIND configures. */
export const ERP_SNAPSHOTS = {
  customer: snapshotKind<Customer | null>('erp.customer'),
  product: snapshotKind<Product | null>('erp.product'),
  salesOrder: snapshotKind<ErpOrder | null>('erp.sales-order'),
  invoices: snapshotKind<Invoice[]>('erp.invoices'),
  productPage: snapshotKind<Page<Product>>('erp.product-page'),
};

/** Lookups by key, batched so one query-plan step costs one ERP call per kind of record. */
export interface ErpLoaders {
  customers: DataLoader<string, Customer | null>;
  products: DataLoader<string, Product | null>;
  /** The ERP sales order by hub order id; null while the ERP has none. */
  salesOrders: DataLoader<string, ErpOrder | null>;
  invoices: DataLoader<string, Invoice[]>;
  /**
   * Orders the hub captured itself, with the state of their ERP posting (QUEUED, POSTED,
   * FAILED); null for orders the hub did not capture or when no order store is configured.
   */
  hubOrders: DataLoader<string, PlacedOrder | null>;
}

/** Per-request context of the ERP subgraph. */
export interface ErpContext {
  /** The caller as the gateway vouched for it; null in all-in-one demos and in-process tests. */
  identity: Identity | null;
  loaders: ErpLoaders;
  /** One page of the ERP's product list (lists do not batch, so they bypass the loaders). */
  productPage(page: PageRequest): Promise<Page<Product>>;
  /** What this request answered from the fallback cache, for `extensions.degraded`. */
  degraded: DegradedReport;
}

/** The hub's own stores the ERP subgraph reads besides the ERP; each is optional. */
export interface ErpStores {
  /**
   * The hub's order store: an order the hub captured is answered from it (posting state, prices
   * it was accepted at) even while the ERP has no sales order for it yet, or is down.
   */
  orders?: OrderStore | null;
  /** The fallback cache: answers while the ERP is down. Without it, an outage fails what needed the ERP. */
  snapshots?: FallbackCache | null;
}

/** Builds a fresh context, with fresh DataLoaders, for every request. */
export function createErpContext(erp: ErpConnector, identity: Identity | null, stores: ErpStores = {}): ErpContext {
  const degraded = new DegradedReport('erp');
  const fallback = stores.snapshots?.forRequest(degraded) ?? LIVE_ONLY;
  const orders = stores.orders ?? null;
  return {
    identity,
    degraded,
    loaders: {
      customers: batchLoader((ids: readonly string[]) => fallback.byKeys(ERP_SNAPSHOTS.customer, ids, (keys) => erp.customersByIds(keys))),
      products: batchLoader((skus: readonly string[]) => fallback.byKeys(ERP_SNAPSHOTS.product, skus, (keys) => erp.productsBySkus(keys))),
      salesOrders: batchLoader((orderIds: readonly string[]) =>
        fallback.byKeys(ERP_SNAPSHOTS.salesOrder, orderIds, (keys) => erp.erpOrdersByOrderIds(keys)),
      ),
      invoices: batchLoader((orderIds: readonly string[]) => fallback.byKeys(ERP_SNAPSHOTS.invoices, orderIds, (keys) => erp.invoicesByOrderIds(keys))),
      hubOrders: batchLoader((orderIds: readonly string[]) => (orders ? orders.get(orderIds) : Promise.resolve(orderIds.map(() => null)))),
    },
    productPage: (page) => fromBackend(() => fallback.list(ERP_SNAPSHOTS.productPage, listCacheKey(page), () => erp.listProducts(page))),
  };
}
