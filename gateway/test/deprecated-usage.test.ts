import { buildSubgraphSchema } from '@apollo/subgraph';
import { createLogger, memoryLogDestination, startSubgraphService, type RunningService } from '@crossdock/service';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import gql from 'graphql-tag';
import { DeprecatedUsage, deprecatedUsage, deprecatedUses } from '../src/deprecated-usage';
import { startTestGateway, TEST_SUBGRAPH_SECRET, testToken, writeSupergraph } from './support/test-gateway';


/** A test-only subgraph with deprecated elements of every kind; the real SDL has none to spare. */
const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Query {
    parcels(carrier: String @deprecated(reason: "use filter"), filter: ParcelFilter, speed: Speed): [Parcel!]!
  }
  type Parcel {
    id: ID!
    tracking: String!
    trackingCode: String! @deprecated(reason: "use tracking")
  }
  input ParcelFilter { carrier: String, depot: String @deprecated(reason: "depots are gone") }
  enum Speed { STANDARD EXPRESS OVERNIGHT @deprecated(reason: "use EXPRESS") }
`;

const parcels = [{ id: 'P1', tracking: 'T1', trackingCode: 'T1' }];

describe('deprecated usage per client', () => {
  let subgraph: RunningService;
  let gateway: RunningService;
  let token: string;
  const logger = createLogger('test', 'silent');

  beforeAll(async () => {
    const schema = buildSubgraphSchema([{ typeDefs, resolvers: { Query: { parcels: () => parcels } } }]);
    subgraph = await startSubgraphService(
      { name: 'parcels', schema, createContext: () => ({}), subgraphSecret: TEST_SUBGRAPH_SECRET, logger },
      { port: 0, host: '127.0.0.1' },
    );
    gateway = await startTestGateway(writeSupergraph([{ name: 'parcels', url: `${subgraph.url}/graphql`, typeDefs }]), { logger });
    token = await testToken({ subject: 'storefront', scopes: [] });
  });

  afterAll(async () => {
    await gateway?.close();
    await subgraph?.close();
  });

  const ask = async (query: string, client?: string) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(client ? { 'apollographql-client-name': client } : {}),
      },
      body: JSON.stringify({ query }),
    });
    expect(await response.json()).toMatchObject({ data: { parcels: [{ id: 'P1' }] } });
  };

  it('counts each executed operation per client and deprecated coordinate', async () => {
    const legacy = '{ parcels(carrier: "dhl", speed: OVERNIGHT) { id trackingCode } }';
    await ask(legacy, 'legacy-portal');
    await ask(legacy, 'legacy-portal');
    await ask('query Q { parcels(filter: { depot: "north" }) { ...P } } fragment P on Parcel { id trackingCode }');
    await ask('{ parcels(speed: EXPRESS) { id tracking } }', 'storefront');

    expect(deprecatedUsage()).toEqual([
      { client: 'legacy-portal', coordinate: 'Parcel.trackingCode', count: 2 },
      { client: 'legacy-portal', coordinate: 'Query.parcels(carrier:)', count: 2 },
      { client: 'legacy-portal', coordinate: 'Speed.OVERNIGHT', count: 2 },
      { client: 'unknown', coordinate: 'Parcel.trackingCode', count: 1 },
      { client: 'unknown', coordinate: 'ParcelFilter.depot', count: 1 },
    ]);
  });
});

describe('deprecated uses of an operation', () => {
  const schema = buildSchema(/* GraphQL */ `
    type Query { a: Int @deprecated(reason: "use b"), b: Int }
  `);

  it('reads only the executed operation and the fragments it spreads, once per operation node', () => {
    const document = parse('query One { ...F } query Two { b } fragment F on Query { a b ...G } fragment G on Query { a }');
    const [one, two] = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    if (!one || !two) throw new Error('two operations expected');
    expect(deprecatedUses(schema, document, one)).toEqual([{ coordinate: 'Query.a', reason: 'use b' }]);
    expect(deprecatedUses(schema, document, two)).toEqual([]);
    expect(deprecatedUses(schema, document, one)).toBe(deprecatedUses(schema, document, one));
  });
});

describe('deprecated usage counters', () => {
  const use = { coordinate: 'Parcel.trackingCode', reason: 'use tracking' };

  it('logs the first use of each coordinate by each client, and only that one', () => {
    const destination = memoryLogDestination();
    const usage = new DeprecatedUsage();
    const logger = createLogger('test', 'info', destination);
    for (const client of ['portal', 'portal', 'edi-partner']) usage.record(client, [use], logger);
    expect(destination.entries.map(({ client, coordinate, reason, msg }) => ({ client, coordinate, reason, msg }))).toEqual([
      { client: 'portal', coordinate: 'Parcel.trackingCode', reason: 'use tracking', msg: 'deprecated schema element used' },
      { client: 'edi-partner', coordinate: 'Parcel.trackingCode', reason: 'use tracking', msg: 'deprecated schema element used' },
    ]);
    expect(usage.snapshot().map((row) => [row.client, row.count])).toEqual([['edi-partner', 1], ['portal', 2]]);
  });

  it('folds client names past the first 500 into one counter, since anyone can send the header', () => {
    const usage = new DeprecatedUsage();
    for (let i = 0; i < 510; i += 1) usage.record(`client-${i}`, [use]);
    const rows = usage.snapshot();
    expect(rows).toHaveLength(501);
    expect(rows.find((row) => row.client === '(other)')?.count).toBe(10);
  });
});
