import type { IncomingMessage } from 'node:http';
import { AuthError, type Identity, type TokenVerifier } from '@crossdock/auth';
import { GraphQLError } from 'graphql';
import { DegradedSubgraphs } from './degraded-answers';
import { ClientAdmission, type ClientProfile } from './limits/admission';
import { DEFAULT_LIMITS } from './limits/limits-policy';

/** Per-request context of the gateway; later issues add limits and scopes here. */
export interface GatewayContext {
  identity: Identity;
  /** The caller's client class and the limits that apply to it (limits/). */
  client: ClientProfile;
  /** Subgraphs that answered this request from their fallback cache, for `extensions.degraded`. */
  degraded: DegradedSubgraphs;
}

/**
 * Every GraphQL request must carry a valid bearer token (CONTRACT.md, Auth): otherwise HTTP 401
 * with error code UNAUTHENTICATED, before any planning or subgraph call. Then `admission`
 * classifies the caller and counts it against its rate limit (RATE_LIMITED, HTTP 429); by
 * default the built-in limits without rate limiting.
 */
export function contextFactory(
  verify: TokenVerifier,
  admission = new ClientAdmission(DEFAULT_LIMITS, null),
): (req: IncomingMessage) => Promise<GatewayContext> {
  return async (req) => {
    let identity: Identity;
    try {
      identity = await verify(req.headers.authorization);
    } catch (error) {
      const message = error instanceof AuthError ? error.message : 'authentication failed';
      throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
    return { identity, client: await admission.admit(identity, req.headers), degraded: new DegradedSubgraphs() };
  };
}
