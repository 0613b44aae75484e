import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { signDevToken } from '@crossdock/auth';
import { createLogger, DegradedReport, startSubgraphService, type RunningService } from '@crossdock/service';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import gql from 'graphql-tag';
import { startTestGateway, TEST_JWT_SECRET as JWT_SECRET, TEST_SUBGRAPH_SECRET as SUBGRAPH_SECRET, writeSupergraph } from './support/test-gateway';
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
    gateway = await startTestGateway(
      writeSupergraph([
        { name: 'stock', url: `${stock.url}/graphql`, typeDefs: stockTypeDefs },
        { name: 'carrier', url: carrierUrl, typeDefs: carrierTypeDefs },
      ]),
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
