/** Scopes a token can carry (CONTRACT.md, Auth). */
export const SCOPES = [
  'orders:read',
  'orders:write',
  'inventory:read',
  'shipments:read',
  'customers:read',
  'pricing:read',
  'edi:submit',
  'ops:admin',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling, as verified from the bearer token. Travels gateway → subgraphs. */
export interface Identity {
  /** The token's `sub`. */
  subject: string;
  scopes: readonly string[];
  /** Set for a customer portal: the caller sees only this customer's records. */
  customerId: string | null;
  /** Set for a sales channel or partner: the caller sees only this channel's orders. */
  channel: string | null;
}

export function hasScope(identity: Identity, scope: Scope): boolean {
  return identity.scopes.includes(scope);
}

export class AuthError extends Error {
  override name = 'AuthError';
  readonly code = 'UNAUTHENTICATED';
}
