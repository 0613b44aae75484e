import type { Order } from '@crossdock/model';
import { toCanonicalOrder, type PlaceOrderRequest, type UserError } from '@crossdock/order-capture';
import type { MutationResolvers, PlaceOrderInput } from './__generated__/resolvers-types';
import { fromCapture } from './capture-errors';
import type { CommerceContext } from './context';

/** A mutation's payload: the order, or why not. */
interface OrderPayload {
  order: Order | null;
  errors: UserError[];
}

/**
 * placeOrder and cancelOrder over the order-capture library. The payload's order is the
 * canonical Order entity; the gateway fetches its other subgraphs' fields (erpPosting,
 * allocations, ...) by id.
 */
export const orderMutations: MutationResolvers<CommerceContext> = {
  placeOrder: async (_root, { input }, { capture, identity }): Promise<OrderPayload> => {
    const result = await fromCapture(() => capture.placeOrder(identity, placeOrderRequest(input)));
    return { order: result.order === null ? null : toCanonicalOrder(result.order), errors: result.errors };
  },
  cancelOrder: async (_root, { id, reason }, { capture, identity, loaders, orderEvents }): Promise<OrderPayload> => {
    const result = await fromCapture(() => capture.cancelOrder(identity, id, reason ?? null));
    if (result.orderId === null) return { order: null, errors: result.errors };
    // Platform orders are read back from the platform, so the answer shows it cancelled there.
    const order = result.order === null ? await loaders.orderById.load(result.orderId) : toCanonicalOrder(result.order);
    // Placed orders are announced by order capture itself (afterOrderStored), whatever the channel.
    if (order) await orderEvents?.statusChanged(order, null, 'cancelled');
    return { order, errors: [] };
  },
};

function placeOrderRequest(input: PlaceOrderInput): PlaceOrderRequest {
  return {
    idempotencyKey: input.idempotencyKey,
    channel: input.channel,
    externalRef: input.externalRef ?? null,
    customerId: input.customerId,
    lines: input.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
  };
}
