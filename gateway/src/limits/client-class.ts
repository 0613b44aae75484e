import type { Identity } from '@crossdock/auth';

/** The kinds of caller the gateway tells apart; each has its own limits (limits-policy.ts). */
export const CLIENT_CLASSES = ['internal', 'portal', 'partner'] as const;
export type ClientClass = (typeof CLIENT_CLASSES)[number];

/** The token claim that names a caller's class explicitly. */
export const CLIENT_CLASS_CLAIM = 'client_class';

function isClientClass(value: unknown): value is ClientClass {
  return CLIENT_CLASSES.some((c) => c === value);
}

/**
 * Which class a verified caller belongs to:
 * 1. the token's `client_class` claim, when it names a known class (an identity provider can
 *    say so explicitly, e.g. a partner integration without a `channel`);
 * 2. otherwise a `customer_id` claim makes it a customer `portal`;
 * 3. otherwise a `channel` claim makes it a `partner` (a sales channel or partner system);
 * 4. otherwise it is `internal` (first-party frontends and operators).
 * An unknown `client_class` value is ignored rather than refused: the token is valid, and the
 * claims that restrict rows still decide what the caller may see.
 *
 * `authorization` must be the header the identity was verified from; only its payload is read.
 */
export function classifyClient(identity: Identity, authorization: string | undefined): ClientClass {
  const claimed = readVerifiedClaim(authorization, CLIENT_CLASS_CLAIM);
  if (isClientClass(claimed)) return claimed;
  if (identity.customerId !== null) return 'portal';
  if (identity.channel !== null) return 'partner';
  return 'internal';
}

/**
 * One claim of a bearer token whose signature the token verifier has already checked; the
 * verifier's Identity carries only the contract's claims, so the class claim is read here.
 */
function readVerifiedClaim(authorization: string | undefined, claim: string): unknown {
  const payload = /^Bearer\s+[^.\s]+\.([^.\s]+)\./i.exec(authorization?.trim() ?? '')?.[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? new Map(Object.entries(claims)).get(claim) : undefined;
  } catch {
    return undefined;
  }
}
