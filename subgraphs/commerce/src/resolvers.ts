import type { Order, OrderQuery, Page, PageRequest } from '@crossdock/model';
import { mayReadCustomer } from '@crossdock/service';
import type { Resolvers } from './__generated__/resolvers-types';
import { readConnection, type Connection, type ConnectionArgs } from './connection';
import type { CommerceContext } from './context';
import { orderLineId, parseOrderLineId } from './order-lines';
import { ediDocumentResolvers, ediInterchangeResolvers, ediMutations, ediPurchaseOrderResolvers, ediQueries } from './edi-resolvers';
import { orderStatusSubscription } from './order-events';
import { orderMutations } from './order-mutations';
import { hubExceptionResolvers, opsMutations, opsQueries } from './ops-resolvers';
import { orderQueryFor } from './order-query';

/** Cursor list name of `Query.orders`. */
export const ORDERS_LIST = 'orders';

/**
 * Cursor list name of one customer's `Customer.orders`: distinct from the global list and per
 * customer, so a cursor is never replayed against another list it was not made for.
 */
export function customerOrdersList(customerId: string): string {
  return `customer-orders/${customerId}`;
}

/** The commerce subgraph's resolvers: the canonical order, its lines, orders per customer, order capture, and exceptions for operators. */
export const resolvers: Resolvers = {
  Subscription: orderStatusSubscription,
  Query: {
    // The loader answers null for an order outside the caller's customer or channel.
    order: (_root, { id }, { loaders }) => loaders.orderById.load(id),
    orders: (_root, { filter, first, after }, context) =>
      listOrders(ORDERS_LIST, orderQueryFor(filter, context.identity), { first, after }, context),
    ...opsQueries,
    ...ediQueries,
  },
  Mutation: { ...orderMutations, ...opsMutations, ...ediMutations },
  HubException: hubExceptionResolvers,
  EdiDocument: ediDocumentResolvers,
  EdiInterchangeResult: ediInterchangeResolvers,
  EdiPurchaseOrderResult: ediPurchaseOrderResolvers,
  Order: {
    // Narrowed like order(id): `_entities` is a way in too (a subgraph answers whoever holds a
    // signed identity, and the gateway's plans are not this subgraph's to trust blindly).
    __resolveReference: ({ id }, { loaders }) => loaders.orderById.load(id),
    customer: (order) => ({ id: order.customerId }),
    lines: (order) => [...order.lines].sort((a, b) => a.lineNumber - b.lineNumber),
  },
  OrderLine: {
    __resolveReference: async ({ id }, { loaders }) => {
      const key = parseOrderLineId(id);
      if (key === null) return null;
      const order = await loaders.orderById.load(key.orderId);
      return order?.lines.find((line) => line.lineNumber === key.lineNumber) ?? null;
    },
    id: (line) => orderLineId(line),
    product: (line) => ({ sku: line.sku }),
  },
  Customer: {
    // Customers are the ERP's; commerce cannot tell an unknown customer from one that has not
    // ordered yet, so every reference resolves and an unknown one simply has no orders. Another
    // customer, for a customer portal, is not found, as in the ERP.
    __resolveReference: ({ id }, { identity }) => (mayReadCustomer(identity, id) ? { id } : null),
    orders: (customer, { first, after }, context) =>
      listOrders(
        customerOrdersList(customer.id),
        orderQueryFor({ customerId: customer.id }, context.identity),
        { first, after },
        context,
      ),
  },
};

function listOrders(
  list: string,
  query: OrderQuery | null,
  args: ConnectionArgs,
  context: CommerceContext,
): Promise<Connection<Order>> {
  const fetchPage = (page: PageRequest): Promise<Page<Order>> =>
    query === null ? Promise.resolve({ items: [], nextCursor: null }) : context.listOrders(query, page);
  return readConnection(list, args, fetchPage);
}
