import { WmsHttpConnector } from '@crossdock/connectors';
import { RedisReservationStore } from '@crossdock/reservations';
import { rateLimitedAlarm, requireStoreUrl, runSubgraphMain, startOwning } from '@crossdock/service';
import { MongoSnapshotStore, readSnapshotConfig } from '@crossdock/snapshots';
import { wmsProbe, startWmsSubgraph } from './server';

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
    return startOwning([reservations, snapshotStore], () => startWmsSubgraph({ ...options, reservations, snapshots }));
  },
});
