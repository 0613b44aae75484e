import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Identity } from '@crossdock/auth';
import { ConfigError, createLogger, memoryLogDestination, startSubgraphService, type RunningService } from '@crossdock/service';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import gql from 'graphql-tag';
import { readGatewayConfig } from '../src/config';
import { BENCH_GOVERNANCE_VAR, governanceFromEnv, UNGOVERNED_IDENTITY } from '../src/governance/governance-switch';
import { limitsPolicyFrom } from '../src/limits/limits-policy';
import type { GatewayOptions } from '../src/server';
import { startTestGateway, TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET, testToken, writeSupergraph } from './support/test-gateway';
import { sha256, TrustedDocuments } from '../src/trusted-documents/trusted-documents';


/** A subgraph that answers with the identity the gateway signed, one scoped field and a nesting to go too deep in. */
const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@requiresScopes"])
  type Query {
    whoami: Caller
    secret: String @requiresScopes(scopes: [["ops:admin"]])
    node: Node
  }
  type Caller { subject: String!, scopes: [String!]! }
  type Node { id: ID!, child: Node }
`;

const WHOAMI = '{ whoami { subject scopes } }';
const TOO_DEEP = '{ node { child { child { id } } } }';
const TRUSTED_APP = 'trusted-app';

/** Each piece of governance, set tight enough that one request shows whether it ran. */
const tightGovernance: Pick<GatewayOptions, 'limits' | 'trustedDocuments'> = {
  limits: limitsPolicyFrom({
    classes: { internal: { maxDepth: 2, rateLimit: { requests: 2, windowSeconds: 60 } } },
    trustedOnlyClients: [TRUSTED_APP],
  }),
  trustedDocuments: TrustedDocuments.fromManifest({ [sha256(WHOAMI)]: WHOAMI }),
};

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

describe('the benchmark-only governance switch', () => {
  const env = { HUB_JWT_SECRET: TEST_JWT_SECRET, HUB_SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET, REDIS_URL: 'redis://127.0.0.1:6379' };

  it('is on unless asked for, and off only outside production', () => {
    expect(readGatewayConfig(env).governance).toBe('on');
    expect(readGatewayConfig({ ...env, [BENCH_GOVERNANCE_VAR]: 'on' }).governance).toBe('on');
    expect(readGatewayConfig({ ...env, [BENCH_GOVERNANCE_VAR]: 'off', NODE_ENV: 'benchmark' }).governance).toBe('off');
  });

  it('refuses to start with governance off in production, NODE_ENV unset meaning production', () => {
    expect(() => readGatewayConfig({ ...env, [BENCH_GOVERNANCE_VAR]: 'off', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => readGatewayConfig({ ...env, [BENCH_GOVERNANCE_VAR]: 'off' })).toThrow(/refused with NODE_ENV=production/);
  });

  it('refuses a value it does not know rather than guessing', () => {
    expect(() => governanceFromEnv('false', 'benchmark')).toThrow(/must be "on" or "off", got "false"/);
  });
});

describe('HTTP /graphql with governance on (the default) and off', () => {
  const logger = createLogger('test', 'silent');
  const logs = memoryLogDestination();
  let subgraph: RunningService;
  let governed: RunningService;
  let ungoverned: RunningService;

  beforeAll(async () => {
    const schema = buildSubgraphSchema([
      {
        typeDefs,
        resolvers: {
          Query: { whoami: (_: unknown, __: unknown, context: { identity: Identity | null }) => context.identity, secret: () => 'the secret', node: () => ({ id: '1' }) },
          Node: { child: (parent: { id: string }) => ({ id: `${parent.id}.1` }) },
        },
      },
    ]);
    subgraph = await startSubgraphService<{ identity: Identity | null }>(
      { name: 'echo', schema, createContext: (identity) => ({ identity }), subgraphSecret: TEST_SUBGRAPH_SECRET, logger },
      { port: 0, host: '127.0.0.1' },
    );
    const supergraphPath = writeSupergraph([{ name: 'echo', url: `${subgraph.url}/graphql`, typeDefs }]);
    governed = await startTestGateway(supergraphPath, tightGovernance);
    ungoverned = await startTestGateway(supergraphPath, { ...tightGovernance, governance: 'off', logger: createLogger('test', 'info', logs) });
  });

  afterAll(async () => {
    await governed?.close();
    await ungoverned?.close();
    await subgraph?.close();
  });

  const ask = async (gateway: RunningService, query: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] }; // /graphql always answers a GraphQL response
  };
  /** A fresh subject per call, so only the rate-limit test shares a bucket. */
  const bearer = async (subject: string, scopes = ['orders:read']) => ({
    authorization: `Bearer ${await testToken({ subject, scopes })}`,
  });
  const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code;

  it('says loudly that governance is off', () => {
    const warning = logs.entries.find((entry) => entry['level'] === 40 && String(entry['msg']).includes('GOVERNANCE OFF'));
    expect(warning).toMatchObject({ [BENCH_GOVERNANCE_VAR]: 'off' });
  });

  it('verifies tokens when on; when off, serves a request without one as the fixed internal identity with every scope', async () => {
    expect(codeOf(await ask(governed, WHOAMI))).toBe('UNAUTHENTICATED');
    const answer = await ask(ungoverned, WHOAMI);
    expect(answer).toEqual({ status: 200, body: { data: { whoami: { subject: UNGOVERNED_IDENTITY.subject, scopes: [...UNGOVERNED_IDENTITY.scopes] } } } });
  });

  it('enforces scopes when on; when off, the scoped field is fetched for anyone', async () => {
    const on = await ask(governed, '{ secret }', await bearer('scopes-on'));
    expect(on.body.data).toEqual({ secret: null });
    expect(codeOf(on)).toBe('FORBIDDEN');
    expect((await ask(ungoverned, '{ secret }', await bearer('scopes-off'))).body).toEqual({ data: { secret: 'the secret' } });
  });

  it('applies the class limits when on; when off, a query deeper than the limit runs', async () => {
    expect(codeOf(await ask(governed, TOO_DEEP, await bearer('depth-on')))).toBe('QUERY_TOO_DEEP');
    expect((await ask(ungoverned, TOO_DEEP)).body).toEqual({ data: { node: { child: { child: { id: '1.1.1' } } } } });
  });

  it('refuses an unregistered operation from a trusted-only client when on; runs it when off', async () => {
    const trustedOnly = { 'apollographql-client-name': TRUSTED_APP };
    expect(codeOf(await ask(governed, '{ node { id } }', { ...(await bearer('trusted-on')), ...trustedOnly }))).toBe('OPERATION_NOT_TRUSTED');
    expect((await ask(ungoverned, '{ node { id } }', trustedOnly)).body).toEqual({ data: { node: { id: '1' } } });
  });

  it('rate-limits a subject when on; when off, no request is counted', async () => {
    const sameSubject = await bearer('rate-on');
    const on = [];
    for (let i = 0; i < 3; i += 1) on.push((await ask(governed, '{ node { id } }', sameSubject)).status);
    expect(on).toEqual([200, 200, 429]);
    const off = [];
    for (let i = 0; i < 5; i += 1) off.push((await ask(ungoverned, '{ node { id } }', sameSubject)).status);
    expect(off).toEqual([200, 200, 200, 200, 200]);
  });
});
