/**
 * All-in-one: the four backend simulators, the four subgraphs and the gateway in ONE process on
 * the contract's ports, so `npm start` demonstrates the whole hub on a bare machine. Each part is
 * the same code that runs alone in production; only the wiring lives here.
 */
import { randomBytes } from 'node:crypto';
import { signDevToken } from '@crossdock/auth';
import { loadChannelConfig, MemoryChannelStore, MemoryWebhookQueue, MongoChannelStore, RedisWebhookQueue } from '@crossdock/channels';
import { CommerceHttpConnector, ErpHttpConnector, ShippingHttpConnector, WmsHttpConnector } from '@crossdock/connectors';
import { commerceProbe, startCommerceSubgraph } from '@crossdock/commerce-subgraph';
import { MemoryEventStreams, readEventRetention, RedisEventStreams } from '@crossdock/events';
import { MemoryExceptionStore, MongoExceptionStore } from '@crossdock/exceptions';
import { MemoryOrderStore, MongoOrderStore } from '@crossdock/orders';
import { MemoryIdempotencyStore, MemoryReservationStore, RedisIdempotencyStore, RedisReservationStore } from '@crossdock/reservations';
import { erpProbe, startErpSubgraph } from '@crossdock/erp-subgraph';
import { startGateway } from '@crossdock/gateway';
import { createLogger, reportListening, runMain, type RunningService } from '@crossdock/service';
import { CircuitBoard, readResilienceSettings, resilientConnector, type CircuitState } from '@crossdock/resilience';
import { carrierProbe, startShippingSubgraph } from '@crossdock/shipping-subgraph';
import { MemorySnapshotStore, MongoSnapshotStore, readSnapshotConfig, type SnapshotConfig } from '@crossdock/snapshots';
import { startSimulators } from '@crossdock/simulators';
import { connectAvailability, readDriftConfig, startWmsSubgraph, wmsProbe } from '@crossdock/wms-subgraph';
import { readHubConfig, type HubConfig } from './config';

export interface RunningHub {
  gatewayUrl: string;
  close(): Promise<void>;
}

/**
 * Starts everything; if any part fails to start, the parts already running are closed.
 * `snapshotPolicy` is the fallback cache's maximum ages and sweep interval (defaults otherwise).
 */
/** EDI partners and store channels from CHANNEL_CONFIG_DIR (default: the repository's config/), kept in MongoDB when MONGO_URL is set, webhooks queued in Redis when REDIS_URL is. */
async function channelIntakeOptions(config: HubConfig, shipping: ShippingHttpConnector, logger: ReturnType<typeof createLogger>, closers: (() => Promise<void>)[]) {
  const channelConfig = loadChannelConfig(config.channelConfigDir);
  for (const line of channelConfig.disabled) logger.warn(line);
  const store = config.mongoUrl ? await MongoChannelStore.connect(config.mongoUrl) : new MemoryChannelStore();
  closers.push(() => store.close());
  const webhookQueue = config.redisUrl ? await RedisWebhookQueue.connect({ url: config.redisUrl }) : new MemoryWebhookQueue();
  closers.push(() => webhookQueue.close());
  return { config: channelConfig, configDir: config.channelConfigDir, store, webhookQueue, shipping };
}

export async function startHub(config: HubConfig, snapshotPolicy: SnapshotConfig = {}): Promise<RunningHub> {
  const logger = createLogger('hub');
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closeOne of closers.splice(0).reverse()) await closeOne();
  };
  try {
    // The WMS and the carrier notify their subgraphs of every stock movement and scan, signed
    // with a key made for this run (nothing outside this process needs it).
    const webhookSecret = randomBytes(32).toString('hex');
    const subgraphHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    const sims = await startSimulators({
      host: config.host,
      latencyMs: config.simulatorLatencyMs,
      ports: config.simulatorPorts,
      wmsWebhookUrl: `http://${subgraphHost}:${config.ports.wms}/webhooks/wms`,
      shippingWebhookUrl: `http://${subgraphHost}:${config.ports.shipping}/webhooks/carrier`,
      webhookSecret,
    });
    closers.push(() => sims.close());
    // One connector and one circuit breaker per backend, shared by everything in this process
    // that talks to that backend (the ERP subgraph and order capture share the ERP's).
    const resilience = { ...readResilienceSettings(), timeoutMs: config.backendTimeoutMs };
    // The outbox follows the circuits: it holds a down backend's postings and catches up when it is back.
    const circuits = new CircuitBoard();
    const onStateChange = (backend: string, from: CircuitState, to: CircuitState) => {
      logger.warn({ backend, from, to }, `circuit of ${backend} ${to}`);
      circuits.stateChanged(backend, from, to);
    };
    const erpLink = resilientConnector(ErpHttpConnector, { ...resilience, backend: 'erp', baseUrl: sims.erp.url, probe: erpProbe, onStateChange });
    const wmsLink = resilientConnector(WmsHttpConnector, { ...resilience, backend: 'wms', baseUrl: sims.wms.url, probe: wmsProbe, onStateChange });
    const commerceLink = resilientConnector(CommerceHttpConnector, { ...resilience, backend: 'commerce', baseUrl: sims.commerce.url, probe: commerceProbe, onStateChange });
    const shippingLink = resilientConnector(ShippingHttpConnector, { ...resilience, backend: 'shipping', baseUrl: sims.shipping.url, probe: carrierProbe, onStateChange });
    const links = [erpLink, wmsLink, commerceLink, shippingLink];
    for (const link of links) circuits.add(link.circuit);
    closers.push(async () => {
      for (const link of links) link.circuit.stop();
      await Promise.all(links.map((link) => link.connector.close()));
    });
    const [erp, wms, commerce, shipping] = [erpLink.connector, wmsLink.connector, commerceLink.connector, shippingLink.connector];
    const { reservationStore, idempotencyStore, orderStore, exceptionStore, snapshotStore, eventStreams } = await connectStores(config, closers);
    const events = { streams: eventStreams, webhookSecret, exceptions: exceptionStore };
    // Available-to-sell feeds, wired as the WMS subgraph's own main wires them; their channels'
    // URL variables name this process's simulators.
    const availability = await connectAvailability({
      env: {
        ...process.env,
        AVAILABILITY_RULES_DIR: config.availabilityRulesDir,
        AVAILABILITY_PARTNERS_DIR: config.availabilityPartnersDir,
        ERP_BACKEND_URL: sims.erp.url,
        WMS_BACKEND_URL: sims.wms.url,
        COMMERCE_BACKEND_URL: sims.commerce.url,
        SHIPPING_BACKEND_URL: sims.shipping.url,
      },
      mongoUrl: config.mongoUrl,
      redisUrl: config.redisUrl,
      exceptions: exceptionStore,
      reservations: reservationStore,
    });
    if (availability) closers.push(() => availability.close());
    logger.info({ redis: config.redisUrl ? 'real' : 'in-process', mongo: config.mongoUrl ? 'real' : 'in-process' }, 'hub stores');
    const snapshots = { store: snapshotStore, ...snapshotPolicy };
    const common = { host: config.host, subgraphSecret: config.subgraphSecret, development: config.development, snapshots };
    const subgraphs: RunningService[] = await Promise.all([
      startErpSubgraph({ ...common, port: config.ports.erp, logger: logger.child({ service: 'erp' }), connector: erp, circuit: erpLink.circuit, orders: orderStore }),
      startWmsSubgraph({
        ...common,
        events,
        port: config.ports.wms,
        logger: logger.child({ service: 'wms' }),
        connector: wms,
        circuit: wmsLink.circuit,
        reservations: reservationStore,
        reconciliation: { ...readDriftConfig(), hub: reservationStore, exceptions: exceptionStore },
        availability: availability?.options ?? null,
      }),
      startCommerceSubgraph({
        events,
        ...common,
        port: config.ports.commerce,
        logger: logger.child({ service: 'commerce' }),
        connector: commerce,
        circuit: commerceLink.circuit,
        orderCapture: { erp, wms, reservationStore, idempotencyStore, orderStore, exceptionStore, backendCircuits: circuits },
        channels: await channelIntakeOptions(config, shipping, logger, closers),
      }),
      startShippingSubgraph({ ...common, events, port: config.ports.shipping, logger: logger.child({ service: 'shipping' }), connector: shipping, circuit: shippingLink.circuit }),
    ]);
    for (const s of subgraphs) closers.push(() => s.close());
    const [erpUrl, wmsUrl, commerceUrl, shippingUrl] = subgraphs.map((s) => `${s.url}/graphql`);
    const gateway = await startGateway(
      {
        supergraphPath: config.supergraphPath,
        jwt: { hs256Secret: config.jwtSecret, jwksUrl: null, issuer: null, audience: null },
        subgraphSecret: config.subgraphSecret,
        subgraphUrls: { erp: erpUrl!, wms: wmsUrl!, commerce: commerceUrl!, shipping: shippingUrl! },
        subgraphTimeoutMs: config.subgraphTimeoutMs,
        development: config.development,
        // Rate limits in the real Redis when given, else in this process (the built-in limits).
        redisUrl: config.redisUrl,
        logger: logger.child({ service: 'gateway' }),
      },
      { port: config.ports.gateway, host: config.host },
    );
    closers.push(() => gateway.close());
    reportListening('gateway', gateway.port);
    return { gatewayUrl: `http://localhost:${gateway.port}/graphql`, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The hub's stores: real Redis and MongoDB when REDIS_URL / MONGO_URL are set (docker-compose),
 * otherwise the in-process substitutes (DESIGN.md) that one process can share, each behind the
 * same port and tested by the same contract suite as the real adapter. Nothing in memory survives
 * a restart. Whatever is opened is closed by `closers`.
 */
async function connectStores(config: HubConfig, closers: (() => Promise<void>)[]) {
  const redis = config.redisUrl;
  const mongo = config.mongoUrl;
  // The event bus: Redis Streams when REDIS_URL is set, else the in-process substitute.
  const retention = readEventRetention();
  const eventStreams = redis ? await RedisEventStreams.connect({ url: redis, retention }) : new MemoryEventStreams({ retention });
  closers.push(() => eventStreams.close());
  // Reservations released on expiry are told on the bus (Redis: by the expiry script itself).
  const reservationStore = redis ? await RedisReservationStore.connect({ url: redis }) : new MemoryReservationStore({ expiries: eventStreams });
  const idempotencyStore = redis ? await RedisIdempotencyStore.connect({ url: redis }) : new MemoryIdempotencyStore();
  if (reservationStore instanceof RedisReservationStore) closers.push(() => reservationStore.close());
  if (idempotencyStore instanceof RedisIdempotencyStore) closers.push(() => idempotencyStore.close());
  const orderStore = mongo ? await MongoOrderStore.connect(mongo) : new MemoryOrderStore();
  closers.push(() => orderStore.close());
  const exceptionStore = mongo ? await MongoExceptionStore.connect(mongo) : new MemoryExceptionStore();
  closers.push(() => exceptionStore.close());
  // One fallback cache store for the four subgraphs; each runs its own writer and sweeper on it.
  const snapshotStore = mongo ? MongoSnapshotStore.create(mongo) : new MemorySnapshotStore();
  closers.push(() => snapshotStore.close());
  return { reservationStore, idempotencyStore, orderStore, exceptionStore, snapshotStore, eventStreams };
}

async function printWelcome(config: HubConfig, hub: RunningHub): Promise<void> {
  const token = await signDevToken({
    secret: config.jwtSecret,
    subject: 'all-in-one-demo',
    scopes: ['orders:read', 'inventory:read', 'shipments:read', 'customers:read', 'pricing:read'],
    ttlSeconds: 8 * 3600,
  });
  if (config.usingDevKey) console.warn('HUB_JWT_SECRET is unset: tokens are signed with the public all-in-one dev key. Never use this in production.');
  console.error(
    [
      '',
      `Crossdock is up. GraphQL: ${hub.gatewayUrl}   (health: /health, readiness: /ready)`,
      `Backend simulators: ERP :${config.simulatorPorts.erp}, WMS :${config.simulatorPorts.wms}, commerce :${config.simulatorPorts.commerce}, carrier :${config.simulatorPorts.shipping}`,
      'A read-all token for the next 8 hours (others with `npm run token`), and a first query:',
      `  export TOKEN=${token}`,
      `  curl -s ${hub.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
      `    -d '{"query":"{ orders(first: 3) { edges { node { id status customer { name } total { amount currency } } } } }"}'`,
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  runMain('all-in-one', async () => {
    const config = readHubConfig();
    const hub = await startHub(config, readSnapshotConfig());
    await printWelcome(config, hub);
    return hub;
  });
}
