import { isHubOrderId, type PlacedOrder } from '@crossdock/orders';
import { isRowRestricted, mayRead, type RecordOwner } from '@crossdock/service';
import type { ErpContext } from './context';

/** The hub's own record of an order it captured; null for the channels' own orders. */
export async function hubOrder(id: string, { loaders }: Pick<ErpContext, 'loaders'>): Promise<PlacedOrder | null> {
  return isHubOrderId(id) ? loaders.hubOrders.load(id) : null;
}

/**
 * Whose order it is, from the records this subgraph keeps: the hub's order store for orders the
 * hub captured (written before any backend hears of them, so it knows them even while the ERP
 * posting is queued), otherwise the ERP's sales order (its sell-to CustomerNo and the
 * SalesChannelCode it was booked under). Null when neither knows the order.
 */
async function orderOwner(id: string, context: Pick<ErpContext, 'loaders'>): Promise<RecordOwner | null> {
  const hub = await hubOrder(id, context);
  if (hub) return { customerId: hub.customerId, channel: hub.channel };
  const salesOrder = await context.loaders.salesOrders.load(id);
  return salesOrder ? { customerId: salesOrder.customerId, channel: salesOrder.channel } : null;
}

/**
 * What the caller may learn about an order from the ERP (CONTRACT.md, Auth, row-level rules):
 * - `readable`: everything (an unrestricted caller, or the order is the caller's own);
 * - `hidden`: the order is somebody else's, so it is not found here (the entity is null);
 * - `unknown`: neither the order store nor the ERP knows the order, so there is nothing of
 *   anyone's to show: its ERP fields answer "not posted yet" (QUEUED, no number, no total), and
 *   invoices, which could only be attributed through a sales order, stay empty.
 * Unrestricted callers cost no lookup.
 */
export type OrderAccess = 'readable' | 'hidden' | 'unknown';

/** Decides {@link OrderAccess} for one order; batched with every other lookup of the request. */
export async function orderAccess(id: string, context: Pick<ErpContext, 'loaders' | 'identity'>): Promise<OrderAccess> {
  if (!isRowRestricted(context.identity)) return 'readable';
  const owner = await orderOwner(id, context);
  if (owner === null) return 'unknown';
  return mayRead(context.identity, owner) ? 'readable' : 'hidden';
}
