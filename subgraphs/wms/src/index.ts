import { WmsHttpConnector } from '@crossdock/connectors';
import { RedisReservationStore } from '@crossdock/reservations';
import { requireStoreUrl, runSubgraphMain } from '@crossdock/service';
import { startWmsSubgraph } from './server';

runSubgraphMain({
  name: 'wms',
  portEnv: 'WMS_PORT',
  defaultPort: 4002,
  backendEnv: 'WMS_BACKEND_URL',
  defaultBackendUrl: 'http://localhost:4102',
  Connector: WmsHttpConnector,
  // The hub's pending reservations count against available stock (Redis).
  needs: { redis: true },
  start: async (options, stores) => {
    const reservations = await RedisReservationStore.connect({ url: requireStoreUrl(stores.redisUrl, 'REDIS_URL') });
    const service = await startWmsSubgraph({ ...options, reservations });
    return {
      ...service,
      close: async () => {
        await service.close();
        await reservations.close();
      },
    };
  },
});
