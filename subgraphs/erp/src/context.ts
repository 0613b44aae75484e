import type { Identity } from '@crossdock/auth';
import type { ErpConnector } from '@crossdock/connectors';
import type { Customer, ErpOrder, Invoice, Page, PageRequest, Product } from '@crossdock/model';
import { batchLoader } from '@crossdock/service';
import type DataLoader from 'dataloader';
import { fromBackend } from './backend-errors';

/** Lookups by key, batched so one query-plan step costs one ERP call per kind of record. */
export interface ErpLoaders {
  customers: DataLoader<string, Customer | null>;
  products: DataLoader<string, Product | null>;
  /** The ERP sales order by hub order id; null while the ERP has none. */
  salesOrders: DataLoader<string, ErpOrder | null>;
  invoices: DataLoader<string, Invoice[]>;
}

/** Per-request context of the ERP subgraph. */
export interface ErpContext {
  /** The caller as the gateway vouched for it; null in all-in-one demos and in-process tests. */
  identity: Identity | null;
  loaders: ErpLoaders;
  /** One page of the ERP's product list (lists do not batch, so they bypass the loaders). */
  productPage(page: PageRequest): Promise<Page<Product>>;
}

/** Builds a fresh context, with fresh DataLoaders, for every request. */
export function createErpContext(erp: ErpConnector, identity: Identity | null): ErpContext {
  return {
    identity,
    loaders: {
      customers: batchLoader((ids: readonly string[]) => fromBackend(() => erp.customersByIds(ids))),
      products: batchLoader((skus: readonly string[]) => fromBackend(() => erp.productsBySkus(skus))),
      salesOrders: batchLoader((orderIds: readonly string[]) => fromBackend(() => erp.erpOrdersByOrderIds(orderIds))),
      invoices: batchLoader((orderIds: readonly string[]) => fromBackend(() => erp.invoicesByOrderIds(orderIds))),
    },
    productPage: (page) => fromBackend(() => erp.listProducts(page)),
  };
}
