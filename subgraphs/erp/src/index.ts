import { ErpHttpConnector } from '@crossdock/connectors';
import { createLogger, millisVar, portVar, readConfig, reportListening, runMain, urlVar } from '@crossdock/service';
import { z } from 'zod';
import { startErpSubgraph } from './server';

const config = z.object({
  ERP_PORT: portVar(4001),
  ERP_BACKEND_URL: urlVar('http://localhost:4101'),
  BACKEND_TIMEOUT_MS: millisVar(2_000),
  HUB_SUBGRAPH_SECRET: z
    .string({ error: 'is required: the gateway signs every subgraph request with it, and a subgraph alone must not answer anyone else' })
    .min(16, 'must be at least 16 characters'),
  NODE_ENV: z.string().default('production'),
});

runMain('erp', async () => {
  const env = readConfig(config);
  const logger = createLogger('erp');
  const connector = new ErpHttpConnector({ baseUrl: env.ERP_BACKEND_URL, timeoutMs: env.BACKEND_TIMEOUT_MS });
  const service = await startErpSubgraph({
    port: env.ERP_PORT,
    connector,
    subgraphSecret: env.HUB_SUBGRAPH_SECRET,
    logger,
    development: env.NODE_ENV === 'development',
  });
  reportListening('erp', service.port);
  logger.info({ url: `${service.url}/graphql`, backend: env.ERP_BACKEND_URL }, 'erp subgraph listening');
  return {
    close: async () => {
      await service.close();
      await connector.close();
    },
  };
});
