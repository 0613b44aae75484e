import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createLogger, startSubgraphService, type RunningService } from '@crossdock/service';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import gql from 'graphql-tag';
import { startTestGateway, TEST_SUBGRAPH_SECRET, testToken, writeSupergraph } from './support/test-gateway';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';

/** Owns items and says who owns each. */
const itemsTypeDefs = gql`
  ${LINK}
  type Query { items: [Item!]! }
  type Item @key(fields: "id") { id: ID! name: String! owner: Owner! }
  type Owner @key(fields: "id") { id: ID! }
`;
/** Adds stock to items and an e-mail address to owners: two fetches in the plan's second step. */
const extrasTypeDefs = gql`
  ${LINK}
  type Item @key(fields: "id") { id: ID! stock: Int! }
  type Owner @key(fields: "id") { id: ID! email: String! }
`;

/** Forwards to a subgraph and keeps each request's body, to see what the gateway sent. */
function recordingProxy(target: string, bodies: string[]): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(body);
      const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([name, value]) => (typeof value === 'string' && name !== 'host' && name !== 'content-length' ? [[name, value]] : [])));
      fetch(target, { method: 'POST', headers, body })
        .then(async (answer) => {
          res.statusCode = answer.status;
          res.setHeader('content-type', answer.headers.get('content-type') ?? 'application/json');
          res.end(await answer.text());
        })
        .catch(() => {
          res.statusCode = 502;
          res.end();
        });
    });
  });
}

/**
 * A query's fetches to one subgraph in the same plan step reach it as one batched HTTP request,
 * which a Crossdock subgraph service takes (allowBatchedHttpRequests). Real gateway, real
 * subgraph services over HTTP.
 */
describe('gateway: fetches of one plan step to one subgraph travel together', () => {
  const logger = createLogger('test', 'silent');
  const received: string[] = [];
  let items: RunningService;
  let extras: RunningService;
  let proxy: Server;
  let batching: RunningService;
  let unbatched: RunningService;
  let token: string;

  beforeAll(async () => {
    const owner = (id: string) => ({ id });
    items = await startSubgraphService(
      {
        name: 'items',
        schema: buildSubgraphSchema([
          {
            typeDefs: itemsTypeDefs,
            resolvers: {
              Query: { items: () => [{ id: '1' }, { id: '2' }] },
              Item: { name: ({ id }: { id: string }) => `item ${id}`, owner: ({ id }: { id: string }) => owner(`owner-of-${id}`) },
            },
          },
        ]),
        createContext: () => ({}),
        subgraphSecret: TEST_SUBGRAPH_SECRET,
        logger,
      },
      { port: 0, host: '127.0.0.1' },
    );
    extras = await startSubgraphService(
      {
        name: 'extras',
        schema: buildSubgraphSchema([
          {
            typeDefs: extrasTypeDefs,
            resolvers: {
              Item: { stock: ({ id }: { id: string }) => Number(id) * 10 },
              Owner: { email: ({ id }: { id: string }) => `${id}@example.com` },
            },
          },
        ]),
        createContext: () => ({}),
        subgraphSecret: TEST_SUBGRAPH_SECRET,
        logger,
      },
      { port: 0, host: '127.0.0.1' },
    );
    proxy = recordingProxy(`${extras.url}/graphql`, received);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const supergraph = writeSupergraph([
      { name: 'items', url: `${items.url}/graphql`, typeDefs: itemsTypeDefs },
      { name: 'extras', url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`, typeDefs: extrasTypeDefs }, // TCP listen: AddressInfo
    ]);
    // Coalescing and deduplication off: every request goes to the subgraphs as planned.
    batching = await startTestGateway(supergraph, { coalescing: false, subgraphDeduplication: false });
    unbatched = await startTestGateway(supergraph, { coalescing: false, subgraphDeduplication: false, subgraphBatching: false });
    token = await testToken({ scopes: [] });
  });

  afterAll(async () => {
    await batching?.close();
    await unbatched?.close();
    await new Promise((resolve) => proxy?.close(resolve));
    await extras?.close();
    await items?.close();
  });

  beforeEach(() => {
    received.length = 0;
  });

  const QUERY = '{ items { name stock owner { email } } }';
  const EXPECTED = {
    items: [
      { name: 'item 1', stock: 10, owner: { email: 'owner-of-1@example.com' } },
      { name: 'item 2', stock: 20, owner: { email: 'owner-of-2@example.com' } },
    ],
  };

  async function post(gateway: RunningService, query: string): Promise<unknown> {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return response.json();
  }

  it("sends the items' and the owners' fetch to the subgraph in one request, and answers as without batching", async () => {
    expect(await post(batching, QUERY)).toEqual({ data: EXPECTED });
    expect(received).toHaveLength(1);
    const operations = JSON.parse(received[0]!) as { query: string }[];
    expect(operations).toHaveLength(2);
    expect(operations.map((operation) => operation.query).join('\n')).toMatch(/on Item[\s\S]*on Owner|on Owner[\s\S]*on Item/);
  });

  it('sends them as two requests with batching off', async () => {
    expect(await post(unbatched, QUERY)).toEqual({ data: EXPECTED });
    expect(received).toHaveLength(2);
    expect(received.every((body) => body.startsWith('{'))).toBe(true);
  });
});
