import { buildSubgraphSchema } from '@apollo/subgraph';
import { signDevToken } from '@crossdock/auth';
import { createLogger, startSubgraphService, type RunningService } from '@crossdock/service';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import gql from 'graphql-tag';
import { startTestGateway, TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET, writeSupergraph } from './support/test-gateway';

const JWT_SECRET = TEST_JWT_SECRET;

/** A one-field subgraph that answers with the identity it verified from the gateway's header. */
const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Query { whoami: Caller }
  type Caller { subject: String!, scopes: [String!]!, customerId: String }
`;

interface EchoContext {
  identity: { subject: string; scopes: readonly string[]; customerId: string | null } | null;
}

describe('gateway authentication', () => {
  let subgraph: RunningService;
  let gateway: RunningService;
  const logger = createLogger('test', 'silent');

  beforeAll(async () => {
    const schema = buildSubgraphSchema([
      { typeDefs, resolvers: { Query: { whoami: (_: unknown, __: unknown, context: EchoContext) => context.identity } } },
    ]);
    subgraph = await startSubgraphService<EchoContext>(
      { name: 'echo', schema, createContext: (identity) => ({ identity }), subgraphSecret: TEST_SUBGRAPH_SECRET, logger },
      { port: 0, host: '127.0.0.1' },
    );
    gateway = await startTestGateway(writeSupergraph([{ name: 'echo', url: `${subgraph.url}/graphql`, typeDefs }]), { logger });
  });

  afterAll(async () => {
    await gateway?.close();
    await subgraph?.close();
  });

  const ask = (authorization?: string) =>
    fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: '{ whoami { subject scopes customerId } }' }),
    });

  it('passes the verified caller to the subgraph in a signed header', async () => {
    const token = await signDevToken({ secret: JWT_SECRET, subject: 'portal', scopes: ['orders:read'], customerId: 'CUST-0003' });
    const response = await ask(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { whoami: { subject: 'portal', scopes: ['orders:read'], customerId: 'CUST-0003' } } });
  });

  it.each([
    ['missing', async () => undefined, /missing Authorization/],
    ['forged', async () => `Bearer ${await signDevToken({ secret: 'someone-elses-secret-0123', subject: 'x', scopes: [] })}`, /signature/],
    ['expired', async () => `Bearer ${await signDevToken({ secret: JWT_SECRET, subject: 'x', scopes: [], ttlSeconds: -300 })}`, /expired/],
  ])('answers 401 UNAUTHENTICATED to a %s token', async (_kind, header, message) => {
    const response = await ask(await header());
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0]?.message).toMatch(message);
  });

  it('refuses a subgraph request that did not come through the gateway', async () => {
    const response = await fetch(`${subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ whoami { subject } }' }),
    });
    expect(response.status).toBe(401);
  });

  it('reports health always and readiness from the subgraphs', async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { supergraph: 'loaded', echo: 'up' } });
  });
});
