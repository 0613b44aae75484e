import { CommerceHttpConnector } from '@crossdock/connectors';
import { runSubgraphMain } from '@crossdock/service';
import { startCommerceSubgraph } from './server';

runSubgraphMain({
  name: 'commerce',
  portEnv: 'COMMERCE_PORT',
  defaultPort: 4003,
  backendEnv: 'COMMERCE_BACKEND_URL',
  defaultBackendUrl: 'http://localhost:4103',
  Connector: CommerceHttpConnector,
  start: startCommerceSubgraph,
});
