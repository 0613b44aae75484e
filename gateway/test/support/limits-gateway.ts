import { createHmac, randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createLogger, startSubgraphService, type RunningService } from '@crossdock/service';
import gql from 'graphql-tag';
import type { ClientClass } from '../../src/limits/client-class';
import type { LimitsPolicy } from '../../src/limits/limits-policy';
import type { TrustedDocuments } from '../../src/trusted-documents/trusted-documents';
import { startTestGateway, TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET, writeSupergraph } from './test-gateway';

/** A small graph with every shape the limits care about: nesting, lists sized by `first`, errors. */
const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Query {
    node: Node
    nodes(first: Int = 5): [Node!]!
    word: String
    boom: String
  }
  type Node { id: ID!  child: Node }
`;

const resolvers = {
  Query: {
    node: () => ({ id: '1' }),
    nodes: (_: unknown, args: { first: number }) => Array.from({ length: Math.min(args.first, 3) }, (_x, i) => ({ id: String(i) })),
    word: () => 'w',
    boom: () => {
      throw new Error('boom: the backend said no');
    },
  },
  Node: { child: (parent: { id: string }) => ({ id: `${parent.id}.1` }) },
};

export interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

export interface Caller {
  clientClass?: ClientClass;
  /** Default: a fresh subject per call, so no two requests share a rate-limit bucket. */
  subject?: string;
  /** Sets `client_class` explicitly instead of deriving the class from these claims. */
  claimClass?: ClientClass;
  headers?: Record<string, string>;
}

export interface LimitsGateway {
  url: string;
  /** POSTs a JSON body (or GETs with `search`) as the given caller. */
  ask(body: Record<string, unknown> | string, caller?: Caller): Promise<Answer>;
  get(search: string, caller?: Caller): Promise<Answer>;
  close(): Promise<void>;
}

/** An HS256 token with exactly these claims (signDevToken knows no `client_class`). */
export function signToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
  return `${unsigned}.${createHmac('sha256', TEST_JWT_SECRET).update(unsigned).digest('base64url')}`;
}

function tokenFor(caller: Caller): string {
  const clientClass = caller.clientClass ?? 'internal';
  return signToken({
    sub: caller.subject ?? randomUUID(),
    scope: 'orders:read',
    ...(clientClass === 'portal' ? { customer_id: 'CUST-0001' } : {}),
    ...(clientClass === 'partner' ? { channel: 'edi' } : {}),
    ...(caller.claimClass ? { client_class: caller.claimClass } : {}),
  });
}

/**
 * The real gateway (startGateway) in this process over a one-subgraph supergraph, with the given
 * limits, trusted documents and rate-limit Redis (in-process store when none).
 */
export async function startLimitsGateway(options: {
  limits?: LimitsPolicy;
  trustedDocuments?: TrustedDocuments;
  redisUrl?: string | null;
  rateLimitTimeoutMs?: number;
}): Promise<LimitsGateway> {
  const logger = createLogger('test', 'silent');
  let subgraph: RunningService | undefined;
  let gateway: RunningService | undefined;
  try {
    subgraph = await startSubgraphService(
      // development: the subgraph sends stack traces, which the gateway must not pass on.
      { name: 'shapes', schema: buildSubgraphSchema([{ typeDefs, resolvers }]), createContext: () => ({}), subgraphSecret: TEST_SUBGRAPH_SECRET, logger, development: true },
      { port: 0, host: '127.0.0.1' },
    );
    gateway = await startTestGateway(writeSupergraph([{ name: 'shapes', url: `${subgraph.url}/graphql`, typeDefs }]), options);
  } catch (error) {
    await subgraph?.close();
    throw error;
  }
  const url = `${gateway.url}/graphql`;
  const running = { gateway, subgraph };
  const answer = async (response: Response): Promise<Answer> => ({
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Answer['body'], // every /graphql answer is a GraphQL response
  });
  return {
    url,
    ask: async (body, caller = {}) =>
      answer(
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(caller)}`, ...caller.headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    get: async (search, caller = {}) =>
      answer(await fetch(`${url}?${search}`, { headers: { authorization: `Bearer ${tokenFor(caller)}`, 'apollo-require-preflight': 'true', ...caller.headers } })),
    close: async () => {
      await running.gateway.close();
      await running.subgraph.close();
    },
  };
}
