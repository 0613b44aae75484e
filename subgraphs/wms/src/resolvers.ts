import { availableOf, type Warehouse } from '@crossdock/model';
import { isRowRestricted, mayRead, selectsField } from '@crossdock/service';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from './__generated__/resolvers-types';
import { availableToPromise } from './atp';
import { availabilityMutations, availabilityResync, availableToSell, channelAvailability } from './channel-availability';
import type { WmsContext } from './context';
import { inventorySubscription } from './inventory-events';

/** A position or allocation must name a warehouse the WMS lists; anything else is bad backend data. */
async function warehouseOf(id: string, { loaders }: WmsContext): Promise<Warehouse> {
  const warehouse = await loaders.warehouses.load(id);
  if (!warehouse) throw new GraphQLError(`the WMS refers to warehouse "${id}" but does not list it`);
  return warehouse;
}

/** A SKU's positions; their warehouses, when selected, are read at the same time. */
function positionsOf(sku: string, context: WmsContext, info: GraphQLResolveInfo) {
  if (selectsField(info, 'warehouse')) context.prefetchWarehouses();
  return context.loaders.positions.load(sku);
}

/**
 * The WMS owns warehouses: an unknown id resolves to null. Products and orders belong to other
 * subgraphs; the WMS only adds stock and fulfillment to them, so a SKU it does not stock has no
 * positions and nothing available, and an order it never saw is UNALLOCATED.
 */
export const resolvers: Resolvers = {
  Subscription: inventorySubscription,
  Mutation: availabilityMutations,
  ChannelAvailability: channelAvailability,
  AvailabilityResync: availabilityResync,
  Query: {
    // Priority order is the order stock ships in, whatever order the WMS lists them in.
    warehouses: async (_root, _args, { allWarehouses }) => [...(await allWarehouses())].sort((a, b) => a.priority - b.priority),
    inventory: (_root, { sku }, context, info) => positionsOf(sku, context, info),
    availableToPromise: async (_root, { sku, quantity }, context) => {
      if (!Number.isInteger(quantity) || quantity < 1) {
        throw new GraphQLError(`"quantity" must be a whole number of at least 1, got ${quantity}`, {
          extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_QUANTITY' },
        });
      }
      context.prefetchWarehouses();
      const positions = await context.loaders.positions.load(sku);
      const ids = [...new Set(positions.map((p) => p.warehouseId))];
      const warehouses = await Promise.all(ids.map((id) => context.loaders.warehouses.load(id)));
      const known = new Map(warehouses.flatMap((w) => (w ? [[w.id, w] as const] : [])));
      return availableToPromise(sku, quantity, positions, known);
    },
  },
  Warehouse: {
    __resolveReference: ({ id }, { loaders }) => loaders.warehouses.load(id),
  },
  Product: {
    __resolveReference: ({ sku }) => ({ sku }),
    inventory: ({ sku }, _args, context, info) => positionsOf(sku, context, info),
    available: async ({ sku }, _args, { loaders }) =>
      (await loaders.positions.load(sku)).reduce((sum, position) => sum + availableOf(position), 0),
    ...availableToSell,
  },
  InventoryPosition: {
    product: ({ sku }) => ({ sku }),
    warehouse: ({ warehouseId }, _args, context) => warehouseOf(warehouseId, context),
    available: (position) => availableOf(position),
  },
  Order: {
    // Row-level rules (CONTRACT.md, Auth): the WMS keeps each fulfilment's ship-to customer and
    // sales channel, so another customer's or channel's order is not found here. An order the
    // WMS never saw has nothing of anyone's to show (UNALLOCATED, no allocations). Warehouses
    // and stock are not customer data.
    __resolveReference: async ({ id }, { loaders, identity }) => {
      if (!isRowRestricted(identity)) return { id };
      const fulfillment = await loaders.fulfillments.load(id);
      return fulfillment === null || mayRead(identity, fulfillment) ? { id } : null;
    },
    fulfillmentStatus: async ({ id }, _args, { loaders }) => (await loaders.fulfillments.load(id))?.status ?? 'UNALLOCATED',
    allocations: async ({ id }, _args, context, info) => {
      if (selectsField(info, 'warehouse')) context.prefetchWarehouses();
      return (await context.loaders.fulfillments.load(id))?.allocations ?? [];
    },
  },
  Allocation: {
    warehouse: ({ warehouseId }, _args, context) => warehouseOf(warehouseId, context),
  },
};
