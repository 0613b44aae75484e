import { ShippingHttpConnector } from '@crossdock/connectors';
import { runSubgraphMain } from '@crossdock/service';
import { startShippingSubgraph } from './server';

runSubgraphMain({
  name: 'shipping',
  portEnv: 'SHIPPING_PORT',
  defaultPort: 4004,
  backendEnv: 'SHIPPING_BACKEND_URL',
  defaultBackendUrl: 'http://localhost:4104',
  Connector: ShippingHttpConnector,
  start: startShippingSubgraph,
});
