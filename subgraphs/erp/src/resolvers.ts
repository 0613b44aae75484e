import type { Resolvers } from './__generated__/resolvers-types';
import { connectionOf } from './connection';
import { parseOrderLineId } from './entity-refs';

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
    total: async ({ id }, _args, { loaders }) => (await loaders.salesOrders.load(id))?.total ?? null,
    erpOrderNumber: async ({ id }, _args, { loaders }) => (await loaders.salesOrders.load(id))?.erpOrderNumber ?? null,
    // Until the hub's outbox is consulted, "no sales order yet" is all the ERP can say: QUEUED.
    erpPosting: async ({ id }, _args, { loaders }) => ((await loaders.salesOrders.load(id)) ? 'POSTED' : 'QUEUED'),
    invoices: ({ id }, _args, { loaders }) => loaders.invoices.load(id),
  },
  OrderLine: {
    // A key that is not `<order id>:<line number>` names no line at all.
    __resolveReference: ({ id }) => (parseOrderLineId(id) ? { id } : null),
    unitPrice: async ({ id }, _args, { loaders }) => {
      const key = parseOrderLineId(id);
      if (!key) return null;
      const salesOrder = await loaders.salesOrders.load(key.orderId);
      return salesOrder?.lines.find((line) => line.lineNumber === key.lineNumber)?.unitPrice ?? null;
    },
  },
};
