import { WmsHttpConnector } from '@crossdock/connectors';
import { MongoExceptionStore } from '@crossdock/exceptions';
import { RedisReservationStore } from '@crossdock/reservations';
import { connectSubgraphEvents, rateLimitedAlarm, requireStoreUrl, runSubgraphMain, startOwning } from '@crossdock/service';
import { MongoSnapshotStore, readSnapshotConfig } from '@crossdock/snapshots';
import { readDriftConfig } from './inventory-drift/drift-config';
import { connectAvailability, wmsProbe, startWmsSubgraph } from './server';

runSubgraphMain({
  name: 'wms',
  portEnv: 'WMS_PORT',
  defaultPort: 4002,
  backendEnv: 'WMS_BACKEND_URL',
  defaultBackendUrl: 'http://localhost:4102',
  probe: wmsProbe,
  Connector: WmsHttpConnector,
  // The hub's pending reservations count against available stock (Redis); the fallback cache
  // lives in MongoDB.
  needs: { redis: true, mongo: true },
  start: async (options, stores) => {
    const redisAlarm = rateLimitedAlarm(options.logger, 'redis-connection');
    const reservations = await RedisReservationStore.connect({
      url: requireStoreUrl(stores.redisUrl, 'REDIS_URL'),
      // The client retries on its own, an error per attempt while Redis is gone.
      onConnectionError: (error) => redisAlarm('redis connection error; reconnecting', error),
    });
    // Connects on first use: the WMS's live data is served even while MongoDB is down.
    const snapshotStore = MongoSnapshotStore.create(requireStoreUrl(stores.mongoUrl, 'MONGO_URL'));
    const snapshots = { store: snapshotStore, ...readSnapshotConfig() };
    // Drift past the threshold lands in the hub's exception store, next to the failed postings.
    const exceptions = await MongoExceptionStore.connect(requireStoreUrl(stores.mongoUrl, 'MONGO_URL'));
    const reconciliation = { ...readDriftConfig(), hub: reservations, exceptions };
    // Stock movements arrive on POST /webhooks/wms (signed with WMS_WEBHOOK_SECRET) and become
    // inventory events in Redis Streams; refused notices land in the exception store.
    const events = await connectSubgraphEvents({ redisUrl: requireStoreUrl(stores.redisUrl, 'REDIS_URL'), webhookSecretEnv: 'WMS_WEBHOOK_SECRET', exceptions, logger: options.logger });
    // Available-to-sell feeds (AVAILABILITY_RULES_DIR): figures and acknowledgements in MongoDB,
    // pushed to every channel on each ATP change by the replica holding the lease in Redis.
    const availability = await connectAvailability({
      env: process.env,
      mongoUrl: requireStoreUrl(stores.mongoUrl, 'MONGO_URL'),
      redisUrl: requireStoreUrl(stores.redisUrl, 'REDIS_URL'),
      exceptions,
      reservations,
      onRedisError: (error) => redisAlarm('redis connection error (feeds\' lease); reconnecting', error),
    });
    return startOwning([reservations, snapshotStore, exceptions, events.streams, ...(availability ? [availability] : [])], () =>
      startWmsSubgraph({ ...options, reservations, snapshots, reconciliation, events, availability: availability?.options ?? null }),
    );
  },
});
