/**
 * @graphql-hive/gateway's runtime on node:http, as ONE process. The reference benchmark starts
 * the CLI (`hive-gateway supergraph --jit`), which forks a worker per core under
 * NODE_ENV=production; the runtime API keeps it to one process and JIT is plugged in the same way
 * the CLI's `--jit` does. HIVE_INBOUND_DEDUPLICATION=on switches on its
 * `inboundInflightRequestDeduplication` (identical in-flight requests answered once), the
 * reference's configuration; off by default (every request executed).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { useJIT } from '@graphql-mesh/plugin-jit';
import { readPeerConfig, reportListening } from './peer-config';

function main(): void {
  const config = readPeerConfig(process.env);
  const runtime = createGatewayRuntime({
    supergraph: config.supergraphPath,
    logging: 'error',
    plugins: () => [useJIT()],
    inboundInflightRequestDeduplication: process.env.HIVE_INBOUND_DEDUPLICATION === 'on',
  });
  const server = createServer(runtime);
  server.listen(config.port, '127.0.0.1', () => {
    reportListening('hive-gateway', (server.address() as AddressInfo).port); // TCP listen, so AddressInfo
  });
  const stop = (): void => {
    server.closeAllConnections();
    server.close();
    Promise.resolve(runtime.dispose()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
