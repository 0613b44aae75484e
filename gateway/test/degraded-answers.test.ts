import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { signDevToken } from '@crossdock/auth';
import { createLogger, DegradedReport, startSubgraphService, type RunningService } from '@crossdock/service';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import gql from 'graphql-tag';
import { startGateway } from '../src/server';

const JWT_SECRET = 'gateway-test-jwt-secret-0123';
const SUBGRAPH_SECRET = 'gateway-test-subgraph-secret-0123';
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';

/** A real subgraph service whose `stock` field notes a cache answer as of `asOf`, when given one. */
const stockTypeDefs = gql`
  ${LINK}
  type Query { stock(asOf: String): Int }
`;
/** Another subgraph, answered by a bare HTTP server, to send extensions the gateway must not pass on. */
const carrierTypeDefs = gql`
  ${LINK}
  type Query { parcel: String }
`;

describe('gateway: extensions.degraded', () => {
  let stock: RunningService;
  let carrier: Server;
  let gateway: RunningService;
  let token: string;

  beforeAll(async () => {
    const logger = createLogger('test', 'silent');
    const schema = buildSubgraphSchema([
      {
        typeDefs: stockTypeDefs,
        resolvers: {
          Query: {
            stock: (_: unknown, { asOf }: { asOf?: string }, { degraded }: { degraded: DegradedReport }) => {
              if (asOf) degraded.servedFromCache(new Date(asOf));
              return 7;
            },
          },
        },
      },
    ]);
    stock = await startSubgraphService(
      { name: 'stock', schema, createContext: () => ({ degraded: new DegradedReport('stock') }), subgraphSecret: SUBGRAPH_SECRET, logger },
      { port: 0, host: '127.0.0.1' },
    );
    carrier = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          data: { parcel: 'P-1' },
          extensions: {
            degraded: [
              { subgraph: 'carrier', servedFrom: 'cache', asOf: '2026-11-26T08:30:00.000Z' },
              { subgraph: 'carrier', servedFrom: 'cache', asOf: '2026-11-26T07:15:00.000Z' },
              { subgraph: 'carrier', servedFrom: 'guesswork', asOf: '2026-11-26T01:00:00.000Z' },
              'not an entry',
            ],
            internal: { backendHost: '10.0.0.7' },
          },
        }),
      );
    });
    await new Promise<void>((resolve) => carrier.listen(0, '127.0.0.1', resolve));
    const carrierUrl = `http://127.0.0.1:${(carrier.address() as AddressInfo).port}/graphql`; // listen() on TCP yields AddressInfo
    const composed = composeServices([
      { name: 'stock', url: `${stock.url}/graphql`, typeDefs: stockTypeDefs },
      { name: 'carrier', url: carrierUrl, typeDefs: carrierTypeDefs },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    const supergraphPath = join(mkdtempSync(join(tmpdir(), 'crossdock-gw-')), 'supergraph.graphql');
    writeFileSync(supergraphPath, composed.supergraphSdl);
    gateway = await startGateway(
      {
        supergraphPath,
        jwt: { hs256Secret: JWT_SECRET, jwksUrl: null, issuer: null, audience: null },
        subgraphSecret: SUBGRAPH_SECRET,
        subgraphUrls: {},
        subgraphTimeoutMs: 5_000,
        development: false,
        logger,
      },
      { port: 0, host: '127.0.0.1' },
    );
    token = await signDevToken({ secret: JWT_SECRET, subject: 'test', scopes: [] });
  });

  afterAll(async () => {
    await gateway?.close();
    await stock?.close();
    await new Promise((resolve) => carrier?.close(resolve));
  });

  const ask = async (query: string) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }; // a GraphQL response
  };

  it('lists each subgraph that answered from cache once, with its oldest asOf, and passes on nothing else', async () => {
    const { status, body } = await ask('{ a: stock(asOf: "2026-11-26T10:00:00.000Z") b: stock(asOf: "2026-11-26T09:00:00.000Z") c: stock parcel }');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { a: 7, b: 7, c: 7, parcel: 'P-1' },
      extensions: {
        degraded: [
          { subgraph: 'carrier', servedFrom: 'cache', asOf: '2026-11-26T07:15:00.000Z' },
          { subgraph: 'stock', servedFrom: 'cache', asOf: '2026-11-26T09:00:00.000Z' },
        ],
      },
    });
  });

  it('adds no extensions when every answer was live', async () => {
    expect(await ask('{ stock }')).toEqual({ status: 200, body: { data: { stock: 7 } } });
  });
});
