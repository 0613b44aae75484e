import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { graphqlHandler, type RequestHandler } from '@crossdock/service';
import { GraphQLError } from 'graphql';

export interface GatedGraphQLHandlerOptions<C extends BaseContext> {
  server: ApolloServer<C>;
  /** Verifies and admits the caller; a GraphQLError with `extensions.http` refuses the request. */
  context: (req: IncomingMessage) => Promise<C>;
  /** The largest body this caller may send. */
  maxBodyBytes: (context: C) => number;
  /** Hears of every refusal before execution (metrics and the request log line). */
  onRefused?: (error: GraphQLError, durationMs: number) => void;
  /** Answers an admitted caller in place of the plain handler (e.g. coalescing identical queries). */
  respond?: (req: IncomingMessage, res: ServerResponse, context: C, maxBodyBytes: number) => Promise<void>;
}

/**
 * Serves /graphql with the caller admitted BEFORE its body is read: an unauthenticated or
 * rate-limited request costs no body read and no parse, and the body limit is the caller's
 * class's (PAYLOAD_TOO_LARGE, HTTP 413, while reading). A browser asking for the landing page
 * goes straight to Apollo, which serves the page without a context.
 */
export function gatedGraphqlHandler<C extends BaseContext>(options: GatedGraphQLHandlerOptions<C>): RequestHandler {
  const landingPage = graphqlHandler({ server: options.server, context: options.context });
  return async (req, res) => {
    if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) return landingPage(req, res);
    let context: C;
    const started = performance.now();
    try {
      context = await options.context(req);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      req.resume(); // discard the unread body; the answer does not depend on it
      options.onRefused?.(error, performance.now() - started);
      return sendRefusal(res, error);
    }
    if (options.respond) return options.respond(req, res, context, options.maxBodyBytes(context));
    const handler = graphqlHandler({ server: options.server, context: async () => context, maxBodyBytes: options.maxBodyBytes(context) });
    return handler(req, res);
  };
}

/** Answers a refusal the way Apollo answers a failed context: status and headers from `extensions.http`. */
export function sendRefusal(res: ServerResponse, error: GraphQLError): void {
  const { http, ...extensions } = error.extensions;
  const head = typeof http === 'object' && http !== null ? http : {};
  res.statusCode = 'status' in head && typeof head.status === 'number' ? head.status : 400;
  if ('headers' in head && head.headers instanceof Map) {
    for (const [name, value] of head.headers) if (typeof name === 'string' && typeof value === 'string') res.setHeader(name, value);
  }
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message: error.message, extensions }] }));
}
