import { ErpHttpConnector } from '@crossdock/connectors';
import { MongoOrderStore } from '@crossdock/orders';
import { requireStoreUrl, runSubgraphMain } from '@crossdock/service';
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
    const snapshotPolicy = readSnapshotConfig();
    const mongoUrl = requireStoreUrl(stores.mongoUrl, 'MONGO_URL');
    const orders = await MongoOrderStore.connect(mongoUrl);
    // Connects on first use: the ERP's live data is served even while MongoDB is down.
    const snapshotStore = MongoSnapshotStore.create(mongoUrl);
    const closeStores = async () => {
      await orders.close();
      await snapshotStore.close();
    };
    const service = await startErpSubgraph({ ...options, orders, snapshots: { store: snapshotStore, ...snapshotPolicy } }).catch(async (error: unknown) => {
      await closeStores();
      throw error;
    });
    return {
      ...service,
      close: async () => {
        await service.close();
        await closeStores();
      },
    };
  },
});
