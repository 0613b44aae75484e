import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ChannelIntake } from '@crossdock/channels';
import type { CommerceConnector } from '@crossdock/connectors';
import { OrderCapture, toCanonicalOrder, type CaptureLog, type OrderCaptureDependencies } from '@crossdock/order-capture';
import type { PlacedOrder } from '@crossdock/orders';
import { backendReadiness, loadTypeDefs, startSubgraphService, type BackendSubgraphOptions, type Logger, type RunningService, type SubgraphEvents } from '@crossdock/service';
import { startFallbackCache, type SnapshotOptions } from '@crossdock/snapshots';
import type { GraphQLSchema } from 'graphql';
import { channelRoutes, createChannelIntake, type CommerceChannelOptions } from './channel-wiring';
import { createCommerceContext, type CommerceContext } from './context';
import { startOrderEvents, type OrderEvents } from './order-events';
import { observePostingMilestone, trackOrderCapture } from './order-telemetry';
import { resolvers } from './resolvers';

/** The commerce subgraph's executable schema, from its one SDL file. */
export function buildCommerceSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')), resolvers });
}

/** What order capture needs besides the commerce connector (which is `connector`). */
export type CommerceOrderCaptureOptions = Omit<OrderCaptureDependencies, 'commerce' | 'log'>;

/** How to run the commerce subgraph; index.ts fills it from the environment, tests and the all-in-one hub pass their own. */
export interface CommerceSubgraphOptions extends BackendSubgraphOptions<CommerceConnector> {
  /**
   * placeOrder/cancelOrder: the ERP and WMS connectors, the reservation, idempotency and order
   * stores, and policy overrides. The caller owns (and closes, after the service) all of them;
   * the service runs the outbox worker and the reservation expiry sweeper while it runs.
   */
  orderCapture: CommerceOrderCaptureOptions;
  /** The fallback cache's store and policy: the platform's orders while it is down (null: none). */
  snapshots?: SnapshotOptions | null;
  /**
   * EDI partners, store webhooks and mapped marketplaces (submitEdi, ediDocuments, the
   * /intake/... routes the gateway forwards /edi/x12 and /webhooks/... to); null: none.
   */
  channels?: CommerceChannelOptions | null;
  /**
   * The event bus: orderStatusChanged events for placed and cancelled orders and for orders
   * whose parcels moved them (read from the shipments stream by a consumer group all replicas
   * share), and the subscription that reads them (null: none).
   */
  events?: SubgraphEvents | null;
}

/** A lookup of an id that never exists: cheap, and proves the platform answers. */
export const commerceProbe = (commerce: CommerceConnector) => commerce.ordersByIds(['readiness-probe']);

/**
 * Starts the commerce subgraph on node:http (POST /graphql, /health, /ready) and, with it, the
 * outbox worker and reservation sweeper; close() stops the server first (no new orders), then
 * both, waiting for a round in flight.
 */
export async function startCommerceSubgraph(options: CommerceSubgraphOptions): Promise<RunningService> {
  const { connector } = options;
  const snapshots = startFallbackCache(options.snapshots, options.logger);
  // The fallback cache also keeps the reference data orders are validated against while the ERP
  // is down, so that a replica started during an outage can still take orders.
  // Order capture replays channel exceptions through the intake, which itself places orders through capture.
  let channels: ChannelIntake | null = null;
  // Started once the service's readers exist; orders stored before that announce nothing.
  let orderEvents: OrderEvents | null = null;
  const capture = new OrderCapture({
    onPostingPosted: observePostingMilestone,
    ...options.orderCapture,
    afterOrderStored: announcePlaced(options.orderCapture.afterOrderStored, () => orderEvents, options.logger),
    replayHandlers: { ...options.orderCapture.replayHandlers, ...ChannelIntake.deferredReplayHandlers(() => channels) },
    commerce: connector,
    log: captureLog(options.logger),
    referenceSnapshots: snapshots,
  });
  const untrack = trackOrderCapture(capture);
  const { erp, wms } = options.orderCapture;
  channels = options.channels ? createChannelIntake(capture, { erp, wms, exceptions: capture.exceptions }, options.channels, options.logger) : null;
  const dependencies = () => ({ commerce: connector, capture, snapshots, channels, orderEvents });
  orderEvents = options.events
    ? await startOrderEvents({
        events: options.events,
        logger: options.logger,
        // As the hub knows the order now, with no caller's restriction: the event is filtered per subscriber.
        orderById: (id) => createCommerceContext(dependencies(), null).loaders.orderById.load(id),
      }).catch(async (error: unknown) => {
        await snapshots?.stop();
        untrack();
        throw error;
      })
    : null;
  const service = await startSubgraphService<CommerceContext>(
    {
      name: 'commerce',
      schema: buildCommerceSchema(),
      createContext: (identity) => createCommerceContext(dependencies(), identity),
      subgraphSecret: options.subgraphSecret,
      logger: options.logger,
      routes: channels ? channelRoutes(channels, options.subgraphSecret) : [],
      readiness: () => backendReadiness('commerce', () => commerceProbe(connector), { circuit: options.circuit }),
      ...(snapshots ? { readinessDetail: () => snapshots.readiness() } : {}),
      onClose: async () => {
        await orderEvents?.close();
        await channels?.stop();
        await capture.stop();
        await snapshots?.stop();
        untrack();
      },
      development: options.development ?? false,
    },
    { port: options.port, ...(options.host === undefined ? {} : { host: options.host }) },
  ).catch(async (error: unknown) => {
    await orderEvents?.close();
    await snapshots?.stop();
    untrack();
    throw error;
  });
  capture.start();
  channels?.start();
  return service;
}

/** Order capture's log lines into the service's logger. */
export function captureLog(logger: Logger): CaptureLog {
  return ({ level, message, error, orderId, target }) => logger[level]({ err: error, orderId, target }, message);
}

/**
 * Order capture's afterOrderStored, announcing the new order as an orderStatusChanged event
 * (whatever channel placed it: GraphQL, EDI, a store webhook) after the configured hook (the
 * crash drill) ran. A stored order appears once, so a replayed placeOrder announces nothing again.
 */
function announcePlaced(configured: ((order: PlacedOrder) => void) | undefined, events: () => OrderEvents | null, logger: Logger): (order: PlacedOrder) => void {
  return (order) => {
    configured?.(order);
    events()
      ?.statusChanged(toCanonicalOrder(order), null, 'placed')
      .catch((error: unknown) => logger.error({ err: error, orderId: order.id }, 'the placed order could not be announced'));
  };
}
