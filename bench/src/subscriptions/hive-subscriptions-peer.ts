/**
 * @graphql-hive/gateway's runtime as ONE process serving subscriptions over graphql-ws, the way
 * its CLI does (a `ws` server on the GraphQL endpoint with getGraphQLWSOptions), and subscribing
 * to the subgraphs over graphql-ws (`transportEntries` → `subscriptions.kind: 'ws'`), as the
 * issue's comparison asks. No JIT: it does not apply to subscriptions' per-event execution path.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions } from '@graphql-hive/gateway';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { readPeerConfig, reportListening } from '../federation/peer-config';

async function main(): Promise<void> {
  const config = readPeerConfig(process.env);
  const runtime = createGatewayRuntime({
    supergraph: config.supergraphPath,
    logging: 'error',
    transportEntries: { '*.http': { options: { subscriptions: { kind: 'ws', location: '/graphql' } } } },
  });
  const server = createServer(runtime);
  const sockets = new WebSocketServer({ server, path: runtime.graphqlEndpoint, perMessageDeflate: false });
  const ws = useServer(
    getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime, (ctx) => ({ req: ctx.extra.request, socket: ctx.extra.socket })),
    sockets,
  );
  // Loaded lazily on the first HTTP request otherwise; a WebSocket subscribe alone finds no schema.
  await runtime.getSchema();
  server.listen(config.port, '127.0.0.1', () => {
    reportListening('hive-gateway', (server.address() as AddressInfo).port); // TCP listen, so AddressInfo
  });
  const stop = (): void => {
    void Promise.resolve(ws.dispose())
      .then(() => runtime.dispose())
      .finally(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
