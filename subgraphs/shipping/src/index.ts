import { ShippingHttpConnector } from '@crossdock/connectors';
import { requireStoreUrl, runSubgraphMain, startOwning } from '@crossdock/service';
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
  // The fallback cache lives in MongoDB.
  needs: { mongo: true },
  start: async (options, stores) => {
    // Connects on first use: the carrier's live data is served even while MongoDB is down.
    const snapshotStore = MongoSnapshotStore.create(requireStoreUrl(stores.mongoUrl, 'MONGO_URL'));
    const snapshots = { store: snapshotStore, ...readSnapshotConfig() };
    return startOwning([snapshotStore], () => startShippingSubgraph({ ...options, snapshots }));
  },
});
