import { ErpHttpConnector } from '@crossdock/connectors';
import { MongoOrderStore } from '@crossdock/orders';
import { requireStoreUrl, runSubgraphMain } from '@crossdock/service';
import { startErpSubgraph } from './server';

runSubgraphMain({
  name: 'erp',
  portEnv: 'ERP_PORT',
  defaultPort: 4001,
  backendEnv: 'ERP_BACKEND_URL',
  defaultBackendUrl: 'http://localhost:4101',
  Connector: ErpHttpConnector,
  // The posting state of hub-captured orders lives in the hub's order store.
  needs: { mongo: true },
  start: async (options, stores) => {
    const orders = await MongoOrderStore.connect(requireStoreUrl(stores.mongoUrl, 'MONGO_URL'));
    const service = await startErpSubgraph({ ...options, orders });
    return {
      ...service,
      close: async () => {
        await service.close();
        await orders.close();
      },
    };
  },
});
