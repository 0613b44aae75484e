import { join } from 'node:path';
import { loadChannelConfig, MongoChannelStore, RedisWebhookQueue } from '@crossdock/channels';
import { CommerceHttpConnector, ErpHttpConnector, ShippingHttpConnector, WmsHttpConnector, type ConnectorOptions } from '@crossdock/connectors';
import { CircuitBoard, readResilienceSettings, resilientConnector } from '@crossdock/resilience';
import { MongoExceptionStore } from '@crossdock/exceptions';
import { MongoOrderStore, type PlacedOrder } from '@crossdock/orders';
import { RedisIdempotencyStore, RedisReservationStore } from '@crossdock/reservations';
import { connectSubgraphEvents, createLogger, reportListening, runMain } from '@crossdock/service';
import { MongoSnapshotStore, readSnapshotConfig } from '@crossdock/snapshots';
import { readCommerceConfig, type CommerceConfig } from './commerce-config';
import { commerceProbe, startCommerceSubgraph } from './server';

/** The exit code of the crash drill, distinct from a failure to start (1). */
const CRASH_DRILL_EXIT_CODE = 86;

/**
 * `npm run start:commerce`: reads the configuration, connects the ERP, WMS and commerce
 * connectors, Redis and MongoDB, starts the subgraph, prints `{"service":"commerce","port":n}`,
 * and on SIGTERM/SIGINT closes the service and then everything it used. runSubgraphMain covers
 * one backend only; order capture needs three and two stores, hence this main of its own.
 */
runMain('commerce', async () => {
  const config = readCommerceConfig();
  const snapshotPolicy = readSnapshotConfig();
  const logger = createLogger('commerce');
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => logger.error({ err: error }, 'close failed'));
  };
  try {
    // Each backend behind its own circuit breaker: an outage fails fast instead of costing every
    // order a timeout, and the background probe notices the recovery with no traffic.
    const resilience = readResilienceSettings();
    // The outbox follows the circuits: it holds a down backend's postings and catches up when it is back.
    const circuits = new CircuitBoard();
    const connect = <K>(Connector: new (options: ConnectorOptions) => K, backend: string, baseUrl: string, probe: (c: K) => Promise<unknown>) =>
      resilientConnector(Connector, {
        ...resilience,
        backend,
        baseUrl,
        timeoutMs: config.backendTimeoutMs,
        probe,
        onStateChange: (name, from, to) => {
          logger.warn({ backend: name, from, to }, `circuit of ${name} ${to}`);
          circuits.stateChanged(name, from, to);
        },
      });
    const commerceLink = connect(CommerceHttpConnector, 'commerce', config.commerceBackendUrl, commerceProbe);
    const erpLink = connect(ErpHttpConnector, 'erp', config.erpBackendUrl, (c) => c.listProducts({ first: 1 }));
    const wmsLink = connect(WmsHttpConnector, 'wms', config.wmsBackendUrl, (c) => c.listWarehouses());
    for (const link of [commerceLink, erpLink, wmsLink]) circuits.add(link.circuit);
    const [commerce, erp, wms] = [commerceLink.connector, erpLink.connector, wmsLink.connector];
    closers.push(() => commerce.close(), () => erp.close(), () => wms.close());
    closers.push(async () => {
      for (const link of [commerceLink, erpLink, wmsLink]) link.circuit.stop();
    });
    const onConnectionError = (error: unknown) => logger.error({ err: error }, 'redis connection error');
    const reservationStore = await RedisReservationStore.connect({ url: config.redisUrl, onConnectionError });
    closers.push(() => reservationStore.close());
    const idempotencyStore = await RedisIdempotencyStore.connect({ url: config.redisUrl, onConnectionError });
    closers.push(() => idempotencyStore.close());
    const orderStore = await MongoOrderStore.connect(config.mongoUrl);
    closers.push(() => orderStore.close());
    const exceptionStore = await MongoExceptionStore.connect(config.mongoUrl);
    closers.push(() => exceptionStore.close());
    // Connects on first use: the platform's live data is served even while MongoDB is down.
    const snapshotStore = MongoSnapshotStore.create(config.mongoUrl);
    closers.push(() => snapshotStore.close());
    const channels = await channelOptions(config, logger);
    closers.push(() => channels.store.close(), () => channels.webhookQueue.close(), () => channels.shipping.close());
    // Order status events in Redis Streams; commerce takes no backend webhook of its own here.
    const events = await connectSubgraphEvents({ redisUrl: config.redisUrl, webhookSecretEnv: null, exceptions: exceptionStore, logger });
    closers.push(() => events.streams.close());
    const service = await startCommerceSubgraph({
      events,
      port: config.port,
      connector: commerce,
      circuit: commerceLink.circuit,
      subgraphSecret: config.subgraphSecret,
      logger,
      development: config.nodeEnv === 'development',
      snapshots: { store: snapshotStore, ...snapshotPolicy },
      channels: { ...channels, policy: { followUpIntervalMs: config.ediFollowUpIntervalMs } },
      orderCapture: { erp, wms, reservationStore, idempotencyStore, orderStore, exceptionStore, backendCircuits: circuits, policy: capturePolicyOf(config), ...crashDrill(config) },
    });
    closers.push(() => service.close());
    reportListening('commerce', service.port);
    logger.info({ url: `${service.url}/graphql`, port: service.port, allocationRule: config.allocationRule }, 'commerce subgraph listening');
    return { close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
});

/** Partner and channel files (CHANNEL_CONFIG_DIR, default the repository's config/), their MongoDB store, the webhook queue in Redis, and the carrier for 856s. */
async function channelOptions(config: CommerceConfig, logger: ReturnType<typeof createLogger>) {
  const configDir = config.channelConfigDir ?? join(__dirname, '..', '..', '..', 'config');
  const channelConfig = loadChannelConfig(configDir);
  for (const line of channelConfig.disabled) logger.warn(line);
  const store = await MongoChannelStore.connect(config.mongoUrl);
  const webhookQueue = await RedisWebhookQueue.connect({ url: config.redisUrl, onConnectionError: (error) => logger.error({ err: error }, 'webhook queue: redis connection error') });
  const shipping = new ShippingHttpConnector({ baseUrl: config.shippingBackendUrl, timeoutMs: config.backendTimeoutMs });
  return { config: channelConfig, configDir, store, webhookQueue, shipping };
}

function capturePolicyOf(config: CommerceConfig) {
  return {
    allocationRule: config.allocationRule,
    reservationHoldMs: config.reservationHoldMs,
    outbox: { maxAttempts: config.outboxMaxAttempts, baseDelayMs: config.outboxBaseDelayMs, maxDelayMs: config.outboxMaxDelayMs },
    maxReferenceAgeMs: config.maxReferenceAgeMs,
    maxDegradedOrderValue: config.maxDegradedOrderValue === 'none' ? null : config.maxDegradedOrderValue,
    erpReadsInFlight: config.erpReadsInFlight,
    erpReadMaxWaitMs: config.erpReadMaxWaitMs,
  };
}

/**
 * CROSSDOCK_CRASH_AFTER_OUTBOX_WRITE=1: die right after an order is stored and before any
 * backend hears of it, the worst moment to crash; tests then restart the service and prove the
 * outbox still delivers the order exactly once.
 */
function crashDrill(config: CommerceConfig): { afterOrderStored?: (order: PlacedOrder) => void } {
  if (config.crashAfterOutboxWrite !== '1' && config.crashAfterOutboxWrite !== 'true') return {};
  return {
    afterOrderStored: (order) => {
      console.error(`CROSSDOCK_CRASH_AFTER_OUTBOX_WRITE: exiting after storing ${order.id}`);
      process.exit(CRASH_DRILL_EXIT_CODE);
    },
  };
}
