/**
 * Stock @apollo/gateway on Apollo Server 5's standalone node:http server, configured as the
 * reference benchmark runs it but as ONE process (the reference forks a worker per core).
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readPeerConfig, reportListening } from './peer-config';

async function main(): Promise<void> {
  const config = readPeerConfig(process.env);
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(config.supergraphPath, 'utf8') });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: config.port } });
  reportListening('apollo-gateway', Number(new URL(url).port));
  const stop = (): void => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
