import type { Identity } from '@crossdock/auth';
import type { ErpConnector } from '@crossdock/connectors';
import type { Customer, ErpOrder, Invoice, Page, PageRequest, Product } from '@crossdock/model';
import type { OrderStore, PlacedOrder } from '@crossdock/orders';
import { batchLoader, fromBackend } from '@crossdock/service';
import type DataLoader from 'dataloader';

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
}

/**
 * Builds a fresh context, with fresh DataLoaders, for every request. `orders` is the hub's order
 * store: an order the hub captured is answered from it (posting state, prices it was accepted
 * at) even while the ERP has no sales order for it yet, or is down.
 */
export function createErpContext(erp: ErpConnector, identity: Identity | null, orders: OrderStore | null = null): ErpContext {
  return {
    identity,
    loaders: {
      customers: batchLoader((ids: readonly string[]) => fromBackend(() => erp.customersByIds(ids))),
      products: batchLoader((skus: readonly string[]) => fromBackend(() => erp.productsBySkus(skus))),
      salesOrders: batchLoader((orderIds: readonly string[]) => fromBackend(() => erp.erpOrdersByOrderIds(orderIds))),
      invoices: batchLoader((orderIds: readonly string[]) => fromBackend(() => erp.invoicesByOrderIds(orderIds))),
      hubOrders: batchLoader((orderIds: readonly string[]) => (orders ? orders.get(orderIds) : Promise.resolve(orderIds.map(() => null)))),
    },
    productPage: (page) => fromBackend(() => erp.listProducts(page)),
  };
}
