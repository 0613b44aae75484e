import { ShippingHttpConnector } from '@crossdock/connectors';
import { createLogger, millisVar, portVar, readConfig, reportListening, runMain, urlVar } from '@crossdock/service';
import { z } from 'zod';
import { startShippingSubgraph } from './server';

const config = z.object({
  SHIPPING_PORT: portVar(4004),
  SHIPPING_BACKEND_URL: urlVar('http://localhost:4104'),
  BACKEND_TIMEOUT_MS: millisVar(2_000),
  // Started alone, the subgraph is reachable by more than the gateway: refuse to run open.
  HUB_SUBGRAPH_SECRET: z
    .string({ error: 'required when the shipping subgraph runs alone (the key the gateway signs requests with)' })
    .min(16, { error: 'must be at least 16 characters' }),
  NODE_ENV: z.string().optional(),
});

runMain('shipping', async () => {
  const env = readConfig(config);
  const logger = createLogger('shipping');
  const connector = new ShippingHttpConnector({ baseUrl: env.SHIPPING_BACKEND_URL, timeoutMs: env.BACKEND_TIMEOUT_MS });
  const service = await startShippingSubgraph({
    port: env.SHIPPING_PORT,
    connector,
    subgraphSecret: env.HUB_SUBGRAPH_SECRET,
    logger,
    development: env.NODE_ENV === 'development',
  });
  reportListening('shipping', service.port);
  logger.info({ port: service.port, backend: env.SHIPPING_BACKEND_URL }, 'shipping subgraph listening');
  return {
    close: async () => {
      await service.close();
      await connector.close();
    },
  };
});
