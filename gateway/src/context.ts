import type { IncomingMessage } from 'node:http';
import { AuthError, type Identity, type TokenVerifier } from '@crossdock/auth';
import { GraphQLError } from 'graphql';
import { DegradedSubgraphs } from './degraded-answers';

/** Per-request context of the gateway; later issues add limits and scopes here. */
export interface GatewayContext {
  identity: Identity;
  /** Subgraphs that answered this request from their fallback cache, for `extensions.degraded`. */
  degraded: DegradedSubgraphs;
}

/**
 * Every GraphQL request must carry a valid bearer token (CONTRACT.md, Auth): otherwise HTTP 401
 * with error code UNAUTHENTICATED, before any planning or subgraph call.
 */
export function contextFactory(verify: TokenVerifier): (req: IncomingMessage) => Promise<GatewayContext> {
  return async (req) => {
    try {
      return { identity: await verify(req.headers.authorization), degraded: new DegradedSubgraphs() };
    } catch (error) {
      const message = error instanceof AuthError ? error.message : 'authentication failed';
      throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
  };
}
