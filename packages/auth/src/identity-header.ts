import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthError, type Identity } from './identity';

/** Header the gateway puts the verified caller in; subgraphs trust nothing else. */
export const IDENTITY_HEADER = 'x-crossdock-identity';

/** Identity headers older than this are refused, so a captured header cannot be replayed for long. */
const MAX_AGE_MS = 5 * 60_000;

interface SignedIdentity extends Identity {
  /** Issued at, epoch milliseconds. */
  iat: number;
}

/** `<base64url(json)>.<base64url(hmac-sha256)>`, signed with HUB_SUBGRAPH_SECRET. */
export function signIdentity(identity: Identity, secret: string, now = Date.now()): string {
  const payload: SignedIdentity = { ...identity, iat: now };
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

/** Verifies a header made by signIdentity; throws AuthError when it is missing, forged or stale. */
export function verifyIdentity(header: string | undefined, secret: string, now = Date.now()): Identity {
  return fresh(verifySignature(header, secret), now).identity;
}

/**
 * verifyIdentity for a service that sees the same headers again and again: the gateway signs
 * each caller once a minute and sends that header with every fetch, and an HMAC per fetch showed
 * in the subgraphs' profiles. A header whose signature was checked is remembered (at most
 * `capacity`, the oldest forgotten first); its age is still checked on every use, so a
 * remembered header goes stale exactly when it would have without the memory.
 */
export function identityVerifier(secret: string, options: { capacity?: number } = {}): (header: string | undefined, now?: number) => Identity {
  const capacity = options.capacity ?? 1_000;
  const verified = new Map<string, SignedHeader>();
  return (header, now = Date.now()) => {
    const known = header === undefined ? undefined : verified.get(header);
    if (known) return fresh(known, now).identity;
    const checked = verifySignature(header, secret);
    if (header !== undefined) {
      verified.set(header, checked);
      const oldest = verified.keys().next();
      if (verified.size > capacity && !oldest.done) verified.delete(oldest.value);
    }
    return fresh(checked, now).identity;
  };
}

/** A header whose signature verified: who it names and when it was signed. */
interface SignedHeader {
  identity: Identity;
  iat: number;
}

function verifySignature(header: string | undefined, secret: string): SignedHeader {
  if (!header) throw new AuthError(`missing ${IDENTITY_HEADER} header: subgraphs only answer the gateway`);
  const dot = header.lastIndexOf('.');
  const body = header.slice(0, dot);
  const given = Buffer.from(header.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(body, secret), 'base64url');
  if (dot <= 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AuthError(`${IDENTITY_HEADER} signature is invalid`);
  }
  const value: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  if (!isSignedIdentity(value)) throw new AuthError(`${IDENTITY_HEADER} payload is malformed`);
  return { identity: { subject: value.subject, scopes: value.scopes, customerId: value.customerId, channel: value.channel }, iat: value.iat };
}

function fresh(signed: SignedHeader, now: number): SignedHeader {
  if (Math.abs(now - signed.iat) > MAX_AGE_MS) throw new AuthError(`${IDENTITY_HEADER} is stale`);
  return signed;
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

function isSignedIdentity(value: unknown): value is SignedIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>; // narrowed field by field below
  return (
    typeof v.subject === 'string' &&
    Array.isArray(v.scopes) &&
    v.scopes.every((s) => typeof s === 'string') &&
    (v.customerId === null || typeof v.customerId === 'string') &&
    (v.channel === null || typeof v.channel === 'string') &&
    typeof v.iat === 'number'
  );
}
