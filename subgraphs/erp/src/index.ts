import { ErpHttpConnector } from '@crossdock/connectors';
import { MongoOrderStore } from '@crossdock/orders';
import { requireStoreUrl, runSubgraphMain, startOwning } from '@crossdock/service';
import { MongoSnapshotStore, readSnapshotConfig } from '@crossdock/snapshots';
import { erpProbe, startErpSubgraph } from './server';

runSubgraphMain({
  name: 'erp',
  portEnv: 'ERP_PORT',
  defaultPort: 4001,
  backendEnv: 'ERP_BACKEND_URL',
  defaultBackendUrl: 'http://localhost:4101',
  probe: erpProbe,
  Connector: ErpHttpConnector,
  // The posting state of hub-captured orders and the fallback cache live in MongoDB.
  needs: { mongo: true },
  start: async (options, stores) => {
    const mongoUrl = requireStoreUrl(stores.mongoUrl, 'MONGO_URL');
    const orders = await MongoOrderStore.connect(mongoUrl);
    // Connects on first use: the ERP's live data is served even while MongoDB is down.
    const snapshotStore = MongoSnapshotStore.create(mongoUrl);
    const snapshots = { store: snapshotStore, ...readSnapshotConfig() };
    return startOwning([orders, snapshotStore], () => startErpSubgraph({ ...options, orders, snapshots }));
  },
});
