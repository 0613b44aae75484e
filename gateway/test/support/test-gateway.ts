import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { signDevToken } from '@crossdock/auth';
import { createLogger } from '@crossdock/service';
import type { DocumentNode } from 'graphql';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/server';

/** Secrets of the in-test gateways and subgraphs (never used outside tests). */
export const TEST_JWT_SECRET = 'gateway-test-jwt-secret-0123';
export const TEST_SUBGRAPH_SECRET = 'gateway-test-subgraph-secret-0123';

/** One subgraph of an in-test supergraph: its SDL and where it listens. */
export interface ComposedSubgraph {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

/** Composes the subgraphs with @apollo/composition and writes the supergraph to a temp file. */
export function writeSupergraph(subgraphs: readonly ComposedSubgraph[]): string {
  const composed = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: s.typeDefs })));
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const path = join(mkdtempSync(join(tmpdir(), 'crossdock-gw-')), 'supergraph.graphql');
  writeFileSync(path, composed.supergraphSdl);
  return path;
}

/**
 * The real gateway (startGateway) in this process over the given supergraph file, verifying
 * tokens signed with TEST_JWT_SECRET and signing subgraph calls with TEST_SUBGRAPH_SECRET.
 */
export async function startTestGateway(supergraphPath: string, overrides: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
  return startGateway(
    {
      supergraphPath,
      jwt: { hs256Secret: TEST_JWT_SECRET, jwksUrl: null, issuer: null, audience: null },
      subgraphSecret: TEST_SUBGRAPH_SECRET,
      subgraphUrls: {},
      subgraphTimeoutMs: 5_000,
      development: false,
      logger: createLogger('test', 'silent'),
      ...overrides,
    },
    { port: 0, host: '127.0.0.1' },
  );
}

/** A bearer token for the test gateways. */
export function testToken(options: { scopes: string[]; customerId?: string; channel?: string; subject?: string; ttlSeconds?: number }): Promise<string> {
  return signDevToken({
    secret: TEST_JWT_SECRET,
    subject: options.subject ?? 'test-client',
    scopes: options.scopes,
    customerId: options.customerId ?? null,
    channel: options.channel ?? null,
    ttlSeconds: options.ttlSeconds ?? 600,
  });
}
