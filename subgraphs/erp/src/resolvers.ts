import { isHubOrderId, type PlacedOrder } from '@crossdock/orders';
import type { Resolvers } from './__generated__/resolvers-types';
import { connectionOf } from './connection';
import type { ErpContext } from './context';
import { parseOrderLineId } from './entity-refs';

/** The hub's own record of an order it captured; null for the channels' own orders. */
async function hubOrder(id: string, { loaders }: Pick<ErpContext, 'loaders'>): Promise<PlacedOrder | null> {
  return isHubOrderId(id) ? loaders.hubOrders.load(id) : null;
}

/** Cursors of `products` carry this tag, so a cursor from another list is refused. */
const PRODUCTS_LIST = 'products';

/**
 * The ERP owns customers and products: an unknown key resolves to null. Orders and their lines
 * are commerce's; the ERP only adds what it knows about them, so an order it has no sales order
 * for is still an order: its posting is QUEUED, and it has no number, total or invoices yet.
 */
export const resolvers: Resolvers = {
  Query: {
    customer: (_root, { id }, { loaders }) => loaders.customers.load(id),
    product: (_root, { sku }, { loaders }) => loaders.products.load(sku),
    products: (_root, { first, after }, { productPage }) => connectionOf(PRODUCTS_LIST, { first, after }, productPage),
  },
  Customer: {
    __resolveReference: ({ id }, { loaders }) => loaders.customers.load(id),
  },
  Product: {
    __resolveReference: ({ sku }, { loaders }) => loaders.products.load(sku),
  },
  Order: {
    __resolveReference: ({ id }) => ({ id }),
    total: async ({ id }, _args, context) => {
      const hub = await hubOrder(id, context);
      return hub ? hub.total : ((await context.loaders.salesOrders.load(id))?.total ?? null);
    },
    erpOrderNumber: async ({ id }, _args, context) => {
      const hub = await hubOrder(id, context);
      if (hub) return hub.postings.erp.state === 'POSTED' ? hub.postings.erp.reference : null;
      return (await context.loaders.salesOrders.load(id))?.erpOrderNumber ?? null;
    },
    // The hub's outbox knows a captured order's posting state; for the channels' own orders the
    // ERP's sales order is the truth, and "none yet" means the posting is still queued.
    erpPosting: async ({ id }, _args, context) => {
      const hub = await hubOrder(id, context);
      if (hub) return hub.postings.erp.state;
      return (await context.loaders.salesOrders.load(id)) ? 'POSTED' : 'QUEUED';
    },
    invoices: ({ id }, _args, { loaders }) => loaders.invoices.load(id),
  },
  OrderLine: {
    // A key that is not `<order id>:<line number>` names no line at all.
    __resolveReference: ({ id }) => (parseOrderLineId(id) ? { id } : null),
    unitPrice: async ({ id }, _args, { loaders }) => {
      const key = parseOrderLineId(id);
      if (!key) return null;
      const hub = await hubOrder(key.orderId, { loaders });
      if (hub) return hub.lines.find((line) => line.lineNumber === key.lineNumber)?.unitPrice ?? null;
      const salesOrder = await loaders.salesOrders.load(key.orderId);
      return salesOrder?.lines.find((line) => line.lineNumber === key.lineNumber)?.unitPrice ?? null;
    },
  },
};
