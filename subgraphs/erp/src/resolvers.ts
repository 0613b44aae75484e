import { mayReadCustomer } from '@crossdock/service';
import type { Resolvers } from './__generated__/resolvers-types';
import { connectionOf } from './connection';
import { parseOrderLineId } from './entity-refs';
import { hubOrder, orderAccess } from './order-access';

/** Cursors of `products` carry this tag, so a cursor from another list is refused. */
const PRODUCTS_LIST = 'products';

/**
 * The ERP owns customers and products: an unknown key resolves to null. Orders and their lines
 * are commerce's; the ERP only adds what it knows about them, so an order it has no sales order
 * for is still an order: its posting is QUEUED, and it has no number, total or invoices yet.
 * Row-level rules (CONTRACT.md, Auth): a customer portal finds only its own customer; another
 * customer's or channel's order (and its lines) is not found. Products are not customer data.
 */
export const resolvers: Resolvers = {
  Query: {
    customer: (_root, { id }, { loaders, identity }) => (mayReadCustomer(identity, id) ? loaders.customers.load(id) : null),
    product: (_root, { sku }, { loaders }) => loaders.products.load(sku),
    products: (_root, { first, after }, { productPage }) => connectionOf(PRODUCTS_LIST, { first, after }, productPage),
  },
  Customer: {
    __resolveReference: ({ id }, { loaders, identity }) => (mayReadCustomer(identity, id) ? loaders.customers.load(id) : null),
  },
  Product: {
    __resolveReference: ({ sku }, { loaders }) => loaders.products.load(sku),
  },
  Order: {
    // Orders reach the ERP only as references, so this is the one gate for all their fields.
    __resolveReference: async ({ id }, context) => ((await orderAccess(id, context)) === 'hidden' ? null : { id }),
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
    invoices: async ({ id }, _args, context) => ((await orderAccess(id, context)) === 'readable' ? context.loaders.invoices.load(id) : []),
  },
  OrderLine: {
    // A key that is not `<order id>:<line number>` names no line at all; a line of an order the
    // caller may not see is not found either.
    __resolveReference: async ({ id }, context) => {
      const key = parseOrderLineId(id);
      return key && (await orderAccess(key.orderId, context)) !== 'hidden' ? { id } : null;
    },
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
