import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@crossdock/auth';
import { expect } from '@jest/globals';

/** Stock @apollo/gateway on Apollo Server's standalone server, in this process. */
export interface StockGateway {
  url: string;
  stop(): Promise<void>;
}

/** How the stock gateway reaches the subgraphs, when not as the supergraph says. */
export interface StockGatewayOptions {
  /** Subgraph URL by subgraph name, over the supergraph's (as SUBGRAPH_URL_<NAME> does for Crossdock). */
  urls?: Record<string, string>;
  /** Sign each subgraph call as this identity (the hub's subgraphs refuse unsigned calls). */
  signAs?: { identity: Identity; subgraphSecret: string };
}

/**
 * Starts stock @apollo/gateway over `supergraphSdl`: its own executor, result shaping and fetch
 * stack. `signAs` adds the hub's signed identity header to each subgraph call, which the hub's
 * subgraphs require of every caller (transport only: the query plan and its execution stay
 * Apollo's own, as does its default fetcher).
 */
export async function startStockGateway(supergraphSdl: string, options: StockGatewayOptions = {}): Promise<StockGateway> {
  const { urls = {}, signAs } = options;
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const target = urls[name] ?? url ?? '';
      return signAs ? new IdentitySigningDataSource(target, signAs.identity, signAs.subgraphSecret) : new RemoteGraphQLDataSource({ url: target });
    },
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url: new URL('graphql', url).toString(), stop: () => server.stop() };
}

/**
 * The supergraph as the open-source JS gateway can load it: it refuses `for: SECURITY` links
 * (@authenticated, @requiresScopes), which only say who may ask, never how to execute.
 */
export function withoutSecurityPurpose(supergraphSdl: string): string {
  return supergraphSdl.replace(/(@link\(url: "[^"]+"), for: SECURITY\)/g, '$1)');
}

class IdentitySigningDataSource extends RemoteGraphQLDataSource {
  constructor(
    url: string,
    private readonly identity: Identity,
    private readonly secret: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request }: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]): void {
    request.http?.headers.set(IDENTITY_HEADER, signIdentity(this.identity, this.secret));
  }
}

/** What a client can see of an answer, to compare two gateways: status, data, and each error's message, path and code. */
export interface ComparableAnswer {
  status: number;
  data: unknown;
  errors: { message: string; path: readonly (string | number)[] | null; code: unknown }[] | null;
}

/** Posts one GraphQL request and keeps what {@link ComparableAnswer} compares. */
export async function comparableAnswer(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ComparableAnswer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const parsed = (await response.json()) as { data?: unknown; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: unknown } }[] };
  return {
    status: response.status,
    data: parsed.data,
    errors: parsed.errors?.map((error) => ({ message: error.message, path: error.path ?? null, code: error.extensions?.code })) ?? null,
  };
}

/**
 * Expects the same answer from both gateways, field order included (JSON text, not deep
 * equality), and no stack traces or other extensions compared: Crossdock strips those on purpose.
 * Errors are compared as a set: when two fetches of one plan run in parallel, both gateways list
 * their errors in the order the fetches finished, which the GraphQL spec leaves open.
 */
export function expectSameAnswer(crossdock: ComparableAnswer, stock: ComparableAnswer): void {
  expect(crossdock.status).toBe(stock.status);
  expect(JSON.stringify(crossdock.data)).toBe(JSON.stringify(stock.data));
  expect(inStableOrder(crossdock.errors)).toEqual(inStableOrder(stock.errors));
}

function inStableOrder(errors: ComparableAnswer['errors']): ComparableAnswer['errors'] {
  if (errors === null) return null;
  const key = (error: NonNullable<ComparableAnswer['errors']>[number]): string => JSON.stringify([error.path, error.message, error.code]);
  return [...errors].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The port of a server that listens on TCP. */
export function portOf(address: AddressInfo | string | null): number {
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}
