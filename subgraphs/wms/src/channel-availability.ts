import { channelFigures, FeedsNotLeadingError, ResyncQueuedError, WHOLE_CHANNEL, type AckKey, type AvailabilityRunner } from '@crossdock/availability';
import { availableOf } from '@crossdock/model';
import { isOpsAdmin } from '@crossdock/service';
import { GraphQLError } from 'graphql';
import type { AvailabilityResyncResolvers, ChannelAvailabilityResolvers, MutationResolvers, ProductResolvers } from './__generated__/resolvers-types';
import type { WmsContext } from './context';

/** One row of Product.availableToSell. */
export interface ChannelAvailabilityRow {
  channel: string;
  /** Null when the channel is told one figure for all its warehouses. */
  warehouseId: string | null;
  quantity: number;
  acknowledged: number | null;
  acknowledgedAt: string | null;
}

/** What the graph reads of the running feeds (see @crossdock/availability): the same on every replica. */
export type AvailabilityView = Pick<AvailabilityRunner, 'rules' | 'acknowledged' | 'resync'>;

/** The acknowledgements loader's key for one channel, SKU and location. */
export const ackLoaderKey = (key: AckKey): string => JSON.stringify([key.channel, key.sku, key.location]);

/** The key back from ackLoaderKey. */
export function ackKeyOf(loaderKey: string): AckKey {
  const [channel = '', sku = '', location = ''] = JSON.parse(loaderKey) as string[]; // written by ackLoaderKey
  return { channel, sku, location };
}

/**
 * `Product.availableToSell(channel)`: the channel's figures from the same positions every stock
 * query reads (the hub's pending reservations counted in), under the channel's rules, next to
 * what the channel last acknowledged, read from the board the leading replica writes (so every
 * replica answers alike). A channel token reading another channel gets nothing, as with any
 * record outside its channel.
 */
export const availableToSell: Pick<ProductResolvers<WmsContext>, 'availableToSell'> = {
  availableToSell: async ({ sku }, { channel }, { identity, availability, loaders }) => {
    if (identity?.channel && identity.channel !== channel) return [];
    const rules = availability?.rules(channel);
    if (!availability || !rules) return [];
    const atp = new Map((await loaders.positions.load(sku)).map((p) => [p.warehouseId, availableOf(p)]));
    const figures = channelFigures(rules, sku, atp);
    const acks = await Promise.all(figures.map((figure) => loaders.acknowledged.load(ackLoaderKey({ channel, sku, location: figure.location }))));
    return figures.map((figure, i) => {
      const acked = acks[i];
      return {
        channel,
        warehouseId: figure.location === WHOLE_CHANNEL ? null : figure.location,
        quantity: figure.quantity,
        acknowledged: acked?.quantity ?? null,
        acknowledgedAt: acked ? new Date(acked.at).toISOString() : null,
      };
    });
  },
};

export const channelAvailability: ChannelAvailabilityResolvers<WmsContext> = {
  warehouse: ({ warehouseId }, _args, { loaders }) => (warehouseId === null ? null : loaders.warehouses.load(warehouseId)),
  drifting: ({ quantity, acknowledged }) => acknowledged !== quantity,
};

/** `resyncChannelAvailability`: operators only (ops:admin, never a customer- or channel-limited token). */
export const availabilityMutations: Pick<MutationResolvers<WmsContext>, 'resyncChannelAvailability'> = {
  resyncChannelAvailability: async (_root, { channel }, { identity, availability }) => {
    if (identity !== null && !isOpsAdmin(identity)) throw new GraphQLError('resyncing a channel needs ops:admin without a customer or channel restriction', { extensions: { code: 'FORBIDDEN' } });
    if (!availability) throw new GraphQLError('no available-to-sell feeds run in this hub (AVAILABILITY_RULES_DIR is not set)', { extensions: { code: 'AVAILABILITY_NOT_CONFIGURED' } });
    if (!availability.rules(channel)) throw new GraphQLError(`no available-to-sell feed for channel "${channel}"`, { extensions: { code: 'BAD_USER_INPUT' } });
    try {
      // Started on the replica leading the feeds, wherever this request landed; the run goes on
      // after the answer, its failures reach the leader's log, and a crash resumes it.
      return await availability.resync(channel, identity?.subject ?? 'operator');
    } catch (error) {
      if (error instanceof ResyncQueuedError) throw new GraphQLError(error.message, { extensions: { code: 'AVAILABILITY_RESYNC_QUEUED', requestId: error.requestId } });
      // Only without an event bus: another replica leads and cannot be asked; the gateway's next try may reach it.
      if (error instanceof FeedsNotLeadingError) throw new GraphQLError(error.message, { extensions: { code: 'AVAILABILITY_NOT_LEADING' } });
      throw error;
    }
  },
};

export const availabilityResync: AvailabilityResyncResolvers<WmsContext> = {
  runId: (checkpoint) => checkpoint.runId,
  skus: (checkpoint) => checkpoint.skus.length,
  done: (checkpoint) => checkpoint.next,
  startedAt: (checkpoint) => new Date(checkpoint.startedAt).toISOString(),
  finishedAt: (checkpoint) => (checkpoint.finishedAt ? new Date(checkpoint.finishedAt).toISOString() : null),
};
