import { buildSubgraphSchema } from '@apollo/subgraph';
import { signDevToken, type Identity } from '@crossdock/auth';
import { createLogger, memoryLogDestination, startSubgraphService, type RunningService } from '@crossdock/service';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import gql from 'graphql-tag';
import type { RunningGateway } from '../../src/server';
import { startTestGateway, testToken, TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET, writeSupergraph } from '../support/test-gateway';

const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Query {
    "Who the subgraph was told is asking: each caller must see only its own."
    viewer: Viewer
    failing: String
  }
  type Viewer {
    subject: String!
    customerId: String
    channel: String
    scopes: [String!]!
  }
  type Mutation {
    touch: Int!
  }
`;

/** A subgraph that holds every call until the test lets it go, and counts calls. */
class HeldSubgraph {
  calls = 0;
  private waiting: (() => void)[] = [];

  async hold(): Promise<void> {
    this.calls++;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    for (const resume of this.waiting.splice(0)) resume();
  }
}

describe('gateway: identical in-flight queries coalesced', () => {
  const held = new HeldSubgraph();
  let subgraph: RunningService;
  let gateway: RunningGateway;
  let plain: RunningGateway;
  let bare: RunningGateway;
  const log = memoryLogDestination();

  beforeAll(async () => {
    const schema = buildSubgraphSchema([
      {
        typeDefs,
        resolvers: {
          Query: {
            viewer: async (_: unknown, __: unknown, { identity }: { identity: Identity | null }) => {
              await held.hold();
              return identity;
            },
            failing: async () => {
              await held.hold();
              throw new GraphQLError('the backend refused', { extensions: { code: 'BACKEND_REFUSED' } });
            },
          },
          Mutation: {
            touch: async () => {
              await held.hold();
              return held.calls;
            },
          },
        },
      },
    ]);
    subgraph = await startSubgraphService(
      { name: 'held', schema, createContext: (identity) => ({ identity }), subgraphSecret: TEST_SUBGRAPH_SECRET, logger: createLogger('test', 'silent') },
      { port: 0, host: '127.0.0.1' },
    );
    const supergraphPath = writeSupergraph([{ name: 'held', url: `${subgraph.url}/graphql`, typeDefs }]);
    // Held calls wait for the test, which on a busy machine can take a while.
    gateway = await startTestGateway(supergraphPath, { subgraphTimeoutMs: 60_000, logger: createLogger('test', 'info', log) });
    plain = await startTestGateway(supergraphPath, { coalescing: false, subgraphTimeoutMs: 60_000 });
    bare = await startTestGateway(supergraphPath, { coalescing: false, subgraphDeduplication: false, subgraphTimeoutMs: 60_000 });
    // The first request through a gateway compiles much of its code; none of it is held.
    const warm = await testToken({ scopes: [] });
    for (const target of [gateway, plain, bare]) expect((await post(target, warm, { query: '{ __typename }' })).status).toBe(200);
  });

  afterAll(async () => {
    held.release();
    await gateway?.close();
    await plain?.close();
    await bare?.close();
    await subgraph?.close();
  });

  beforeEach(() => {
    held.calls = 0;
  });

  const post = async (target: RunningGateway, token: string, body: Record<string, unknown>) => {
    const response = await fetch(`${target.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };

  /**
   * Lets the subgraph answer once `calls` calls are held in it and `followers` callers (more than
   * `before`) wait for another's answer in the gateway: then every request is in flight together.
   */
  async function releaseWhenInFlight(before: number, followers: number, calls: number): Promise<void> {
    const following = (): number => (gateway.coalescing?.counts.followers ?? 0) - before;
    for (let tries = 0; tries < 3_000 && (following() < followers || held.calls < calls); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    held.release();
    if (following() < followers || held.calls < calls) throw new Error(`in flight: ${following()} followers of ${followers}, ${held.calls} calls of ${calls}`);
  }

  const VIEWER = { query: 'query Viewer { viewer { subject customerId channel scopes } }', operationName: 'Viewer' };

  it('answers identical queries of one view with one execution and the same bytes', async () => {
    const token = await testToken({ scopes: ['orders:read'], customerId: 'CUST-1' });
    const before = gateway.coalescing!.counts.followers;
    const answers = Promise.all(Array.from({ length: 5 }, () => post(gateway, token, VIEWER)));
    await releaseWhenInFlight(before, 4, 1);
    const results = await answers;
    expect(held.calls).toBe(1);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    expect(JSON.parse(results[0]!.text)).toEqual({ data: { viewer: { subject: 'test-client', customerId: 'CUST-1', channel: null, scopes: ['orders:read'] } } });
    // Every caller has its request line, the four handed the shared answer too.
    const lines = log.entries.filter((entry) => entry.msg === 'graphql request' && JSON.stringify(entry.request).includes('"operation":"Viewer"'));
    expect(lines).toHaveLength(5);
  });

  it('shares between two tokens of the same identity, never between callers who may see different data', async () => {
    const views = [
      { scopes: ['orders:read'], customerId: 'CUST-1' },
      { scopes: ['orders:read'], customerId: 'CUST-1' }, // another token, same identity: may share
      { scopes: ['orders:read'], customerId: 'CUST-2' },
      { scopes: ['orders:read'], channel: 'edi' },
      { scopes: ['orders:read', 'pricing:read'], customerId: 'CUST-1' },
      { scopes: ['orders:read'], customerId: 'CUST-1', subject: 'another-user' },
    ];
    const tokens = await Promise.all(views.map((view) => testToken(view)));
    // Another token of the first identity: issued later, so its bytes differ.
    tokens[1] = await signDevToken({ secret: TEST_JWT_SECRET, subject: 'test-client', scopes: ['orders:read'], customerId: 'CUST-1', ttlSeconds: 1_200 });
    expect(tokens[0]).not.toBe(tokens[1]);
    const before = gateway.coalescing!.counts.followers;
    const answers = Promise.all(tokens.map((token) => post(gateway, token, VIEWER)));
    await releaseWhenInFlight(before, 1, 5);
    const results = (await answers).map((r) => JSON.parse(r.text) as { data: { viewer: Record<string, unknown> } });
    expect(held.calls).toBe(5);
    expect(results.map((r) => r.data.viewer)).toEqual([
      { subject: 'test-client', customerId: 'CUST-1', channel: null, scopes: ['orders:read'] },
      { subject: 'test-client', customerId: 'CUST-1', channel: null, scopes: ['orders:read'] },
      { subject: 'test-client', customerId: 'CUST-2', channel: null, scopes: ['orders:read'] },
      { subject: 'test-client', customerId: null, channel: 'edi', scopes: ['orders:read'] },
      { subject: 'test-client', customerId: 'CUST-1', channel: null, scopes: ['orders:read', 'pricing:read'] },
      { subject: 'another-user', customerId: 'CUST-1', channel: null, scopes: ['orders:read'] },
    ]);
  });

  it('hands every follower the leader\'s errors with their paths', async () => {
    const token = await testToken({ scopes: [] });
    const before = gateway.coalescing!.counts.followers;
    const answers = Promise.all(Array.from({ length: 3 }, () => post(gateway, token, { query: '{ failing }' })));
    await releaseWhenInFlight(before, 2, 1);
    const results = await answers;
    expect(held.calls).toBe(1);
    for (const result of results) {
      const body = JSON.parse(result.text) as { data: unknown; errors: { message: string; path: string[]; extensions: { code: string } }[] };
      expect(body.data).toEqual({ failing: null });
      expect(body.errors.map((e) => [e.message, e.path, e.extensions.code])).toEqual([['the backend refused', ['failing'], 'BACKEND_REFUSED']]);
    }
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
  });

  it('never coalesces mutations: each runs', async () => {
    const token = await testToken({ scopes: [] });
    const before = gateway.coalescing!.counts;
    const answers = Promise.all(Array.from({ length: 3 }, () => post(gateway, token, { query: 'mutation { touch }' })));
    for (let tries = 0; held.calls < 3 && tries < 1_000; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    held.release();
    const results = await answers;
    expect(held.calls).toBe(3);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(gateway.coalescing!.counts).toEqual(before); // not even counted as a leader
  });

  it('runs every request when coalescing is off (their identical subgraph fetches may still share a call)', async () => {
    const token = await testToken({ scopes: ['orders:read'], customerId: 'CUST-1' });
    expect(plain.coalescing).toBeNull();
    let done = false;
    const answers = Promise.all(Array.from({ length: 3 }, () => post(plain, token, VIEWER))).finally(() => (done = true));
    for (let tries = 0; !done && tries < 3_000; tries++) {
      held.release();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const results = await answers;
    expect(held.calls).toBeGreaterThanOrEqual(1);
    expect(held.calls).toBeLessThanOrEqual(3);
    expect(results.map((r) => JSON.parse(r.text))).toEqual(
      [0, 1, 2].map(() => ({ data: { viewer: { subject: 'test-client', customerId: 'CUST-1', channel: null, scopes: ['orders:read'] } } })),
    );
  });

  it('sends every fetch with both switched off', async () => {
    const token = await testToken({ scopes: ['orders:read'], customerId: 'CUST-1' });
    expect(bare.coalescing).toBeNull();
    const answers = Promise.all(Array.from({ length: 3 }, () => post(bare, token, VIEWER)));
    for (let tries = 0; held.calls < 3 && tries < 1_000; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    held.release();
    const results = await answers;
    expect(held.calls).toBe(3);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
  });
});
