import { SignJWT } from 'jose';

export interface DevTokenOptions {
  secret: string;
  subject: string;
  scopes: readonly string[];
  customerId?: string | null;
  channel?: string | null;
  /** Lifetime in seconds (default one hour). */
  ttlSeconds?: number;
  issuer?: string | null;
  audience?: string | null;
}

/** The key all-in-one uses when HUB_JWT_SECRET is unset. Public on purpose: it protects nothing. */
export const DEV_JWT_SECRET = 'crossdock-dev-only-secret-do-not-use-in-production';

/** Signs an HS256 token with the hub's claims (`npm run token`, tests, benchmarks). */
export async function signDevToken(options: DevTokenOptions): Promise<string> {
  const jwt = new SignJWT({
    scope: options.scopes.join(' '),
    ...(options.customerId ? { customer_id: options.customerId } : {}),
    ...(options.channel ? { channel: options.channel } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.ttlSeconds ?? 3600));
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
