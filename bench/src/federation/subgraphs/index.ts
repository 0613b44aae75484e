/**
 * Starts the four benchmark subgraphs in this one process, each on its own free port, and prints
 * `{"service":"<name>","port":<n>}` per subgraph. One process on purpose: the machine has few
 * cores and they belong to the gateway under test.
 */
import type { Server } from 'node:http';
import { subgraphNames } from './resolvers';
import { buildBenchmarkSubgraphSchema, createSubgraphServer } from './server';

// Loopback only: benchmark traffic never leaves the machine.

async function main(): Promise<void> {
  const servers: Server[] = [];
  for (const name of subgraphNames) {
    const server = createSubgraphServer(buildBenchmarkSubgraphSchema(name));
    servers.push(server);
    const port = await listen(server);
    console.log(JSON.stringify({ service: name, port }));
  }
  const stop = (): void => {
    for (const server of servers) server.closeAllConnections();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
