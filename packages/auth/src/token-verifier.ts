import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AuthError, type Identity } from './identity';
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-token-cache';

export interface TokenVerifierOptions {
  /** HS256 shared key (dev and all-in-one, or a hub that issues its own tokens). */
  hs256Secret?: string | null;
  /** An identity provider's JWKS endpoint: RS256 and ES256 tokens. */
  jwksUrl?: string | null;
  /** Checked when set. */
  issuer?: string | null;
  /** Checked when set. */
  audience?: string | null;
  /** Accepted clock skew between the issuer and us, in seconds. */
  clockToleranceSeconds?: number;
  /**
   * Verified tokens are remembered until they expire (at most a minute by default), so a client
   * that sends the same token with every request is verified once; false verifies every time.
   */
  cache?: VerifiedTokenCacheOptions | false;
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Identity>;

/** Only these algorithms are accepted: never "none", never an HMAC key used as an RSA key. */
const HMAC_ALGORITHMS = ['HS256'];
const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'];

/**
 * Verifies `Authorization: Bearer <JWT>` and turns its claims into an Identity. Throws AuthError
 * for a missing header, a bad signature, an expired token or a wrong issuer or audience.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const secret = options.hs256Secret ? new TextEncoder().encode(options.hs256Secret) : null;
  const jwks: JWTVerifyGetKey | null = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : null;
  if (!secret && !jwks) throw new Error('token verifier needs an HS256 secret or a JWKS URL');
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  const common = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
    clockTolerance,
    requiredClaims: ['sub', 'exp'],
  };
  const cache = options.cache === false ? null : new VerifiedTokenCache(clockTolerance, options.cache);

  return async (authorization) => {
    const token = bearerToken(authorization);
    const remembered = cache?.get(token);
    if (remembered) return remembered;
    const header = decodeHeader(token);
    let payload: JWTPayload;
    try {
      if (HMAC_ALGORITHMS.includes(header) && secret) {
        ({ payload } = await jwtVerify(token, secret, { ...common, algorithms: HMAC_ALGORITHMS }));
      } else if (ASYMMETRIC_ALGORITHMS.includes(header) && jwks) {
        ({ payload } = await jwtVerify(token, jwks, { ...common, algorithms: ASYMMETRIC_ALGORITHMS }));
      } else {
        throw new AuthError(`token algorithm ${header} is not accepted`);
      }
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw new AuthError(describeJoseError(error));
    }
    const identity = identityFromClaims(payload);
    // jose has checked that `exp` is present and a number (requiredClaims).
    if (typeof payload.exp === 'number') cache?.remember(token, identity, payload.exp);
    return identity;
  };
}

/**
 * When the bearer token in `authorization` expires (its `exp`, in epoch milliseconds), or null
 * without one. Reads the claims without checking them: call it on a header the verifier accepted.
 */
export function bearerTokenExpiry(authorization: string | undefined): number | null {
  try {
    const { exp } = decodeJwt(bearerToken(authorization));
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw new AuthError('missing Authorization header: send "Bearer <token>"');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) throw new AuthError('Authorization header must be "Bearer <token>"');
  return match[1];
}

function decodeHeader(token: string): string {
  const [encoded] = token.split('.');
  try {
    const header: unknown = JSON.parse(Buffer.from(encoded ?? '', 'base64url').toString('utf8'));
    if (typeof header === 'object' && header !== null && 'alg' in header && typeof header.alg === 'string') return header.alg;
  } catch {
    // fall through: not a JWT
  }
  throw new AuthError('bearer token is not a JWT');
}

function describeJoseError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'token signature is invalid';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `token claim rejected: ${error instanceof Error ? error.message : code}`;
    default:
      return `token rejected${error instanceof Error ? `: ${error.message}` : ''}`;
  }
}

export function identityFromClaims(payload: JWTPayload): Identity {
  const scope = payload.scope;
  const customerId = payload.customer_id;
  const channel = payload.channel;
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new AuthError('token has no subject');
  if (scope !== undefined && typeof scope !== 'string') throw new AuthError('token claim "scope" must be a space-separated string');
  if (customerId !== undefined && typeof customerId !== 'string') throw new AuthError('token claim "customer_id" must be a string');
  if (channel !== undefined && typeof channel !== 'string') throw new AuthError('token claim "channel" must be a string');
  return {
    subject: payload.sub,
    scopes: (scope ?? '').split(/\s+/).filter(Boolean),
    customerId: customerId ?? null,
    channel: channel ?? null,
  };
}
