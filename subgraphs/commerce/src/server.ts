import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { CommerceConnector } from '@crossdock/connectors';
import { OrderCapture, type CaptureLog, type OrderCaptureDependencies } from '@crossdock/order-capture';
import { backendReadiness, loadTypeDefs, startSubgraphService, type BackendSubgraphOptions, type Logger, type RunningService } from '@crossdock/service';
import { startFallbackCache, type SnapshotOptions } from '@crossdock/snapshots';
import type { GraphQLSchema } from 'graphql';
import { createCommerceContext, type CommerceContext } from './context';
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
  const capture = new OrderCapture({ ...options.orderCapture, commerce: connector, log: captureLog(options.logger), referenceSnapshots: snapshots });
  const service = await startSubgraphService<CommerceContext>(
    {
      name: 'commerce',
      schema: buildCommerceSchema(),
      createContext: (identity) => createCommerceContext({ commerce: connector, capture, snapshots }, identity),
      subgraphSecret: options.subgraphSecret,
      logger: options.logger,
      readiness: () => backendReadiness('commerce', () => commerceProbe(connector), { circuit: options.circuit }),
      ...(snapshots ? { readinessDetail: () => snapshots.readiness() } : {}),
      onClose: async () => {
        await capture.stop();
        await snapshots?.stop();
      },
      development: options.development ?? false,
    },
    { port: options.port, ...(options.host === undefined ? {} : { host: options.host }) },
  ).catch(async (error: unknown) => {
    await snapshots?.stop();
    throw error;
  });
  capture.start();
  return service;
}

/** Order capture's log lines into the service's logger. */
export function captureLog(logger: Logger): CaptureLog {
  return ({ level, message, error, orderId, target }) => logger[level]({ err: error, orderId, target }, message);
}
