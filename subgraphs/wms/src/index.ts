import { WmsHttpConnector } from '@crossdock/connectors';
import { createLogger, millisVar, portVar, readConfig, reportListening, runMain, urlVar } from '@crossdock/service';
import { z } from 'zod';
import { startWmsSubgraph } from './server';

const config = z.object({
  WMS_PORT: portVar(4002),
  WMS_BACKEND_URL: urlVar('http://localhost:4102'),
  BACKEND_TIMEOUT_MS: millisVar(2_000),
  HUB_SUBGRAPH_SECRET: z
    .string({ error: 'is required: the gateway signs every subgraph request with it, and a subgraph alone must not answer anyone else' })
    .min(16, 'must be at least 16 characters'),
  NODE_ENV: z.string().default('production'),
});

runMain('wms', async () => {
  const env = readConfig(config);
  const logger = createLogger('wms');
  const connector = new WmsHttpConnector({ baseUrl: env.WMS_BACKEND_URL, timeoutMs: env.BACKEND_TIMEOUT_MS });
  const service = await startWmsSubgraph({
    port: env.WMS_PORT,
    connector,
    subgraphSecret: env.HUB_SUBGRAPH_SECRET,
    logger,
    development: env.NODE_ENV === 'development',
  });
  reportListening('wms', service.port);
  logger.info({ url: `${service.url}/graphql`, backend: env.WMS_BACKEND_URL }, 'wms subgraph listening');
  return {
    close: async () => {
      await service.close();
      await connector.close();
    },
  };
});
