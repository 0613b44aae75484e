import { buildSubgraphSchema } from '@apollo/subgraph';
import { signDevToken } from '@crossdock/auth';
import { createLogger, startSubgraphService, type RunningService } from '@crossdock/service';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import gql from 'graphql-tag';
import { startTestGateway, TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET, writeSupergraph } from './support/test-gateway';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';

/** Owns items: their names, and which item is related to which. */
const itemsTypeDefs = gql`
  ${LINK}
  type Query { items: [Item!]! }
  type Item @key(fields: "id") { id: ID! name: String! related: Item! }
`;
/** Adds to items the serial number of the request context that resolved them. */
const contextsTypeDefs = gql`
  ${LINK}
  type Query { promo: Item! }
  type Mutation { touch: Item! }
  type Item @key(fields: "id") { id: ID! context: Int! }
`;

interface Serial {
  serial: number;
}

/**
 * The gateway names each client query in the x-crossdock-request header, so that a subgraph
 * gives all of that query's fetches one context (one DataLoader cache); mutations and separate
 * queries never share one. Real gateway, real subgraph services over HTTP.
 */
describe('gateway: one subgraph context per client query', () => {
  let items: RunningService;
  let contexts: RunningService;
  let gateway: RunningService;
  let token: string;

  beforeAll(async () => {
    const logger = createLogger('test', 'silent');
    const item = (id: string) => ({ id });
    items = await startSubgraphService(
      {
        name: 'items',
        schema: buildSubgraphSchema([
          {
            typeDefs: itemsTypeDefs,
            resolvers: {
              Query: { items: () => [item('1'), item('2')] },
              Item: { name: ({ id }: { id: string }) => `item ${id}`, related: ({ id }: { id: string }) => item(`${id}-related`) },
            },
          },
        ]),
        createContext: () => ({}),
        subgraphSecret: TEST_SUBGRAPH_SECRET,
        logger,
      },
      { port: 0, host: '127.0.0.1' },
    );
    let serial = 0;
    contexts = await startSubgraphService<Serial>(
      {
        name: 'contexts',
        schema: buildSubgraphSchema([
          {
            typeDefs: contextsTypeDefs,
            resolvers: {
              Query: { promo: () => item('promo') },
              Mutation: { touch: () => item('touched') },
              Item: { context: (_item: unknown, _args: unknown, context: Serial) => context.serial },
            },
          },
        ]),
        createContext: () => ({ serial: (serial += 1) }),
        subgraphSecret: TEST_SUBGRAPH_SECRET,
        logger,
      },
      { port: 0, host: '127.0.0.1' },
    );
    gateway = await startTestGateway(
      writeSupergraph([
        { name: 'items', url: `${items.url}/graphql`, typeDefs: itemsTypeDefs },
        { name: 'contexts', url: `${contexts.url}/graphql`, typeDefs: contextsTypeDefs },
      ]),
      // Coalescing and deduplication would hide whether the subgraph was asked at all.
      { coalescing: false, subgraphDeduplication: false },
    );
    token = await signDevToken({ secret: TEST_JWT_SECRET, subject: 'test', scopes: [] });
  });

  afterAll(async () => {
    await gateway?.close();
    await contexts?.close();
    await items?.close();
  });

  async function post<T>(query: string): Promise<T> {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  it('resolves every fetch of one query in the same subgraph context, and the next query in another', async () => {
    // Two fetches go to "contexts": Query.promo, and the items' entities after "items" answered.
    const query = '{ promo { context } items { name context } }';
    const first = await post<{ promo: { context: number }; items: { context: number }[] }>(query);
    const serials = new Set([first.promo.context, ...first.items.map((i) => i.context)]);
    expect(serials.size).toBe(1);
    const second = await post<{ promo: { context: number }; items: { context: number }[] }>(query);
    expect(new Set([second.promo.context, ...second.items.map((i) => i.context)])).toEqual(new Set([second.promo.context]));
    expect(second.promo.context).not.toBe(first.promo.context);
  });

  it('never shares a context between the fetches of a mutation', async () => {
    // The mutation's fetch, then "items" for the related item, then "contexts" again for its context.
    const { touch } = await post<{ touch: { context: number; related: { context: number } } }>('mutation { touch { context related { context } } }');
    expect(touch.related.context).not.toBe(touch.context);
  });
});
