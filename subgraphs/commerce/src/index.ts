import { CommerceHttpConnector } from '@crossdock/connectors';
import { createLogger, millisVar, portVar, readConfig, reportListening, runMain, urlVar } from '@crossdock/service';
import { z } from 'zod';
import { startCommerceSubgraph } from './server';

const config = z.object({
  COMMERCE_PORT: portVar(4003),
  COMMERCE_BACKEND_URL: urlVar('http://localhost:4103'),
  BACKEND_TIMEOUT_MS: millisVar(2_000),
  // Started alone, the subgraph is reachable by more than the gateway: refuse to run open.
  HUB_SUBGRAPH_SECRET: z
    .string({ error: 'required when the commerce subgraph runs alone (the key the gateway signs requests with)' })
    .min(16, { error: 'must be at least 16 characters' }),
  NODE_ENV: z.string().optional(),
});

runMain('commerce', async () => {
  const env = readConfig(config);
  const logger = createLogger('commerce');
  const connector = new CommerceHttpConnector({ baseUrl: env.COMMERCE_BACKEND_URL, timeoutMs: env.BACKEND_TIMEOUT_MS });
  const service = await startCommerceSubgraph({
    port: env.COMMERCE_PORT,
    connector,
    subgraphSecret: env.HUB_SUBGRAPH_SECRET,
    logger,
    development: env.NODE_ENV === 'development',
  });
  reportListening('commerce', service.port);
  logger.info({ port: service.port, backend: env.COMMERCE_BACKEND_URL }, 'commerce subgraph listening');
  return {
    close: async () => {
      await service.close();
      await connector.close();
    },
  };
});
