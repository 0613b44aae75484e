import { createLogger, reportListening, runMain } from '@crossdock/service';
import { readGatewayConfig } from './config';
import { applyHeapGrowingPercent, readHeapGrowingPercent } from './heap-policy';
import { startGateway } from './server';

runMain('gateway', async () => {
  const config = readGatewayConfig();
  applyHeapGrowingPercent(readHeapGrowingPercent());
  const logger = createLogger('gateway');
  const service = await startGateway({ ...config, logger }, { port: config.port, host: config.host });
  reportListening('gateway', service.port);
  logger.info({ url: `${service.url}/graphql` }, 'gateway listening');
  return service;
});
