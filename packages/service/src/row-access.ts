import type { Identity } from '@crossdock/auth';

/**
 * Whose record it is, as the system that holds it records it: the customer and the sales
 * channel. Null where that system does not say.
 */
export interface RecordOwner {
  customerId: string | null;
  channel: string | null;
}

/**
 * True when the caller is limited to one customer or one channel (CONTRACT.md, Auth), so every
 * customer record must be checked before it is served. Subgraphs skip the owner lookups for
 * everybody else.
 */
export function isRowRestricted(identity: Identity | null): boolean {
  return identity !== null && (identity.customerId !== null || identity.channel !== null);
}

/**
 * Row-level access: may this caller read a record with this owner? An unrestricted caller (or
 * none, in all-in-one demos and in-process tests) reads everything. A restricted caller reads a
 * record only when its backend says it is the caller's: an owner the backend does not record
 * counts as somebody else's, so a gap in the data hides a record rather than leaking it.
 */
export function mayRead(identity: Identity | null, owner: RecordOwner): boolean {
  if (identity === null) return true;
  return (
    (identity.customerId === null || owner.customerId === identity.customerId) &&
    (identity.channel === null || owner.channel === identity.channel)
  );
}

/**
 * A customer account (the ERP's master data) is visible to a customer portal only when it is its
 * own. A channel is not limited here: one customer orders through several channels, and the
 * channel's view of that customer's orders is narrowed where the orders are served.
 */
export function mayReadCustomer(identity: Identity | null, customerId: string): boolean {
  return identity === null || identity.customerId === null || identity.customerId === customerId;
}
