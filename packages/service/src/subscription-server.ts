import type { IncomingMessage, Server } from 'node:http';
import { AuthError, IDENTITY_HEADER, verifyIdentity, type Identity } from '@crossdock/auth';
import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { failingEvents, mapEvents } from './event-iterators';

/** Close code for a connection whose identity is missing, forged or stale (graphql-ws reserves 4400–4499 for the app). */
export const UNAUTHORIZED_CLOSE = 4401;

/** The payload field a subscription's source event carries its stream cursor in (see SubscriptionEvent). */
export const CURSOR_FIELD = '__cursor';

/**
 * What a subscription resolver's `subscribe` yields: the root field's value under its name, and
 * the event's stream id, which every `next` message carries as `extensions.cursor` so a client
 * can resume after it.
 */
export type SubscriptionEvent<F extends string, T> = { [K in F]: T } & { [CURSOR_FIELD]: string };

export interface SubscriptionServerOptions<C> {
  schema: GraphQLSchema;
  /** As for HTTP: connections whose `connection_init` lacks the gateway's signed identity are closed with 4401. */
  subgraphSecret: string | null;
  /** A context per operation and a fresh one per event, so no DataLoader cache outlives one event. */
  createContext: (identity: Identity | null) => C;
  logger: Logger;
  /** Stack traces in errors; development only. */
  development?: boolean;
}

export interface RunningSubscriptionServer {
  /** Completes every subscription, closes every socket (1001 going away) and stops accepting. */
  close(): Promise<void>;
  /** Open connections, for /ready details and tests. */
  connectionCount(): number;
}

/**
 * Serves the schema's subscriptions over graphql-ws (`graphql-transport-ws`) on the service's
 * own HTTP server, at /graphql: the upgrade goes to the same port as POST /graphql. The gateway
 * sends the caller's signed identity as `connection_init` payload `{ "x-crossdock-identity": … }`,
 * verified like the HTTP header. Each event is executed on its own and its `next` message carries
 * the event's cursor in `extensions.cursor`.
 */
export function serveSubscriptions<C>(server: Server, options: SubscriptionServerOptions<C>): RunningSubscriptionServer {
  const sockets = new WebSocketServer({ server, path: '/graphql' });
  const identities = new WeakMap<object, Identity | null>();
  const identityOf = (ctx: object): Identity | null => identities.get(ctx) ?? null;
  const disposable = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      schema: options.schema,
      onConnect: (ctx) => {
        try {
          identities.set(ctx, verifyConnection(ctx.connectionParams, options.subgraphSecret));
          return true;
        } catch (error) {
          const reason = error instanceof AuthError ? error.message : 'identity rejected';
          options.logger.warn({ reason }, 'subscription connection refused');
          ctx.extra.socket.close(UNAUTHORIZED_CLOSE, reason.slice(0, 120));
          return false;
        }
      },
      context: (ctx) => new ConnectionContext(identityOf(ctx)),
      subscribe: (args) => subscribeWithCursors(args, options),
      onError: (_ctx, _id, _payload, errors) => {
        options.logger.debug({ errors: errors.map((e) => e.message) }, 'subscription refused');
      },
    },
    sockets,
  );
  let closing: Promise<void> | null = null;
  return {
    close: () => (closing ??= Promise.resolve(disposable.dispose())),
    connectionCount: () => sockets.clients.size,
  };
}

/** The subgraphs' protocol name, for clients and tests. */
export const SUBSCRIPTION_PROTOCOL = GRAPHQL_TRANSPORT_WS_PROTOCOL;

function verifyConnection(params: Readonly<Record<string, unknown>> | undefined, secret: string | null): Identity | null {
  if (secret === null) return null;
  const value = params?.[IDENTITY_HEADER];
  return verifyIdentity(typeof value === 'string' ? value : undefined, secret);
}

/** What graphql-ws hands to subscribe(): the connection's verified caller. */
class ConnectionContext {
  constructor(readonly identity: Identity | null) {}
}

function connectionIdentity(contextValue: unknown): Identity | null {
  return contextValue instanceof ConnectionContext ? contextValue.identity : null;
}

/**
 * graphql-js's subscribe, with two changes: each event is executed with a fresh context, and the
 * source event's cursor goes into the result's extensions. A subscription that cannot start
 * (bad arguments, CURSOR_EXPIRED) or that ends in an error reaches the client as an `error`
 * message carrying the error's code.
 */
async function subscribeWithCursors<C>(args: ExecutionArgs, options: SubscriptionServerOptions<C>): Promise<AsyncIterableIterator<ExecutionResult>> {
  const identity = connectionIdentity(args.contextValue);
  const source = await createSourceEventStream({ ...args, contextValue: options.createContext(identity) });
  if (!(Symbol.asyncIterator in source)) {
    return failingEvents(source.errors?.[0] ?? new GraphQLError('the subscription could not start'));
  }
  const events = mapEvents(source[Symbol.asyncIterator](), async (payload: unknown): Promise<ExecutionResult> => {
    const result = await execute({ ...args, rootValue: payload, contextValue: options.createContext(identity) });
    const cursor = cursorOf(payload);
    return cursor === null ? result : { ...result, extensions: { ...result.extensions, cursor } };
  });
  return endWithGraphQLErrors(events, options);
}

function cursorOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null || !(CURSOR_FIELD in payload)) return null;
  const cursor: unknown = payload[CURSOR_FIELD];
  return typeof cursor === 'string' ? cursor : null;
}

/** A source that fails mid-stream (the feed ended it) rejects with a GraphQLError keeping its code. */
function endWithGraphQLErrors<C>(events: AsyncIterableIterator<ExecutionResult>, options: SubscriptionServerOptions<C>): AsyncIterableIterator<ExecutionResult> {
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () =>
      events.next().catch((error: unknown) => {
        if (error instanceof GraphQLError) throw error;
        options.logger.error({ err: error }, 'subscription source failed');
        const message = error instanceof Error && options.development ? error.message : 'the event stream failed; resubscribe with the last cursor';
        throw new GraphQLError(message, { extensions: { code: 'SUBSCRIPTION_FAILED' } });
      }),
    return: () => events.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
