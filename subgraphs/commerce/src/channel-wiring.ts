import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthError, IDENTITY_HEADER, verifyIdentity } from '@crossdock/auth';
import { ChannelIntake, intakeRoutes, type AvailableToPromise, type ChannelConfig, type ChannelPolicy, type ChannelStore, type WebhookQueue } from '@crossdock/channels';
import type { ErpConnector, ShippingConnector, WmsConnector } from '@crossdock/connectors';
import type { ExceptionStore } from '@crossdock/exceptions';
import { availableOf } from '@crossdock/model';
import type { OrderCapture } from '@crossdock/order-capture';
import { sendJsonError, type Logger, type Route } from '@crossdock/service';

/** Channel intake on the commerce subgraph: the configuration, the store and the webhook queue; the caller owns (and closes) both. */
export interface CommerceChannelOptions {
  config: ChannelConfig;
  /** Where `config` was read from: partner files changed there are taken without a restart. */
  configDir?: string | null;
  store: ChannelStore;
  webhookQueue: WebhookQueue;
  /** Shipments for 856s; null: no 856 is sent. */
  shipping: Pick<ShippingConnector, 'shipmentsByOrderIds'> | null;
  policy?: Partial<ChannelPolicy>;
}

/** Builds the channel intake over this service's order capture and backends. */
export function createChannelIntake(
  capture: OrderCapture,
  backends: { erp: ErpConnector; wms: WmsConnector; exceptions: ExceptionStore },
  options: CommerceChannelOptions,
  logger: Logger,
): ChannelIntake {
  return new ChannelIntake({
    config: options.config,
    configDir: options.configDir ?? null,
    store: options.store,
    webhookQueue: options.webhookQueue,
    exceptions: backends.exceptions,
    capture,
    erp: backends.erp,
    shipping: options.shipping,
    wms: backends.wms,
    availableToPromise: availableToPromise(backends.wms, capture),
    ...(options.policy ? { policy: options.policy } : {}),
    log: ({ level, message, error }) => logger[level]({ err: error }, message),
  });
}

/** What can be promised per SKU now, as the WMS subgraph computes it: on hand − reserved − safety stock − the hub's unconfirmed reservations. */
function availableToPromise(wms: WmsConnector, capture: OrderCapture): AvailableToPromise {
  return async (skus) => {
    const [positions, pending] = await Promise.all([wms.positionsBySkus(skus), capture.reservations.pendingBySku(skus)]);
    const available = new Map<string, number>();
    skus.forEach((sku, i) => {
      const total = (positions[i] ?? []).reduce((sum, position) => {
        const held = pending.get(sku)?.get(position.warehouseId) ?? 0;
        return sum + Math.max(0, availableOf(position) - held);
      }, 0);
      available.set(sku, total);
    });
    return available;
  };
}

/**
 * The intake's HTTP routes (/intake/edi/x12, /intake/webhooks/...), answering only requests the
 * gateway forwarded with its signed identity (when the service has a subgraph secret); the
 * partner or store authenticates itself on top (Basic auth, webhook HMAC).
 */
export function channelRoutes(channels: ChannelIntake, subgraphSecret: string | null): Route[] {
  const admit = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (subgraphSecret === null) return true;
    const header = req.headers[IDENTITY_HEADER];
    try {
      verifyIdentity(Array.isArray(header) ? header[0] : header, subgraphSecret);
      return true;
    } catch (error) {
      sendJsonError(res, 401, 'UNAUTHENTICATED', error instanceof AuthError ? error.message : 'identity header rejected');
      return false;
    }
  };
  return intakeRoutes(channels, admit);
}
