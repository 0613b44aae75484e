import { ShippingHttpConnector } from '@crossdock/connectors';
import { MongoExceptionStore } from '@crossdock/exceptions';
import { connectSubgraphEvents, requireStoreUrl, runSubgraphMain, startOwning } from '@crossdock/service';
import { MongoSnapshotStore, readSnapshotConfig } from '@crossdock/snapshots';
import { carrierProbe, startShippingSubgraph } from './server';

runSubgraphMain({
  name: 'shipping',
  portEnv: 'SHIPPING_PORT',
  defaultPort: 4004,
  backendEnv: 'SHIPPING_BACKEND_URL',
  defaultBackendUrl: 'http://localhost:4104',
  probe: carrierProbe,
  Connector: ShippingHttpConnector,
  // The fallback cache and the exception store live in MongoDB; shipment events in Redis Streams.
  needs: { mongo: true, redis: true },
  start: async (options, stores) => {
    // Connects on first use: the carrier's live data is served even while MongoDB is down.
    const snapshotStore = MongoSnapshotStore.create(requireStoreUrl(stores.mongoUrl, 'MONGO_URL'));
    const snapshots = { store: snapshotStore, ...readSnapshotConfig() };
    // Refused tracking notices land in the exception store with their raw body.
    const exceptions = await MongoExceptionStore.connect(requireStoreUrl(stores.mongoUrl, 'MONGO_URL'));
    // Scans arrive on POST /webhooks/carrier (signed with CARRIER_WEBHOOK_SECRET).
    const events = await connectSubgraphEvents({ redisUrl: requireStoreUrl(stores.redisUrl, 'REDIS_URL'), webhookSecretEnv: 'CARRIER_WEBHOOK_SECRET', exceptions, logger: options.logger });
    return startOwning([snapshotStore, exceptions, events.streams], () => startShippingSubgraph({ ...options, snapshots, events }));
  },
});
