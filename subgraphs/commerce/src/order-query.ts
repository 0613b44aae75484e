import type { Identity } from '@crossdock/auth';
import type { OrderQuery } from '@crossdock/model';
import type { OrderFilter } from './__generated__/resolvers-types';
import { parseDateTimeArgument } from './date-time';

/**
 * Turns a client's filter into the backend query, narrowed to what the caller may see
 * (CONTRACT.md, Auth: a customer portal sees only its customer's orders, a channel partner only
 * its channel's). Returns null when nothing can match (another customer's orders asked for with
 * a portal token), so the list answers empty without a backend call. Bad DateTime values are
 * refused first, whatever the caller may see.
 */
export function orderQueryFor(filter: OrderFilter | null | undefined, identity: Identity | null): OrderQuery | null {
  const placedAfter = filter?.placedAfter ? parseDateTimeArgument('filter.placedAfter', filter.placedAfter) : null;
  const placedBefore = filter?.placedBefore ? parseDateTimeArgument('filter.placedBefore', filter.placedBefore) : null;
  const customerId = narrow(filter?.customerId, identity?.customerId);
  const channel = narrow(filter?.channel, identity?.channel);
  if (customerId === NOTHING || channel === NOTHING) return null;
  // An empty status list means no status filter: it is what a UI sends with no box ticked.
  const status = filter?.status && filter.status.length > 0 ? [...new Set(filter.status)] : null;
  return { customerId, channel, status, placedAfter, placedBefore };
}

const NOTHING = Symbol('nothing matches');

/** The value to filter by, given what the client asked for and what the caller is limited to. */
function narrow(requested: string | null | undefined, allowed: string | null | undefined): string | null | typeof NOTHING {
  if (allowed === null || allowed === undefined) return requested ?? null;
  if (requested === null || requested === undefined) return allowed;
  return requested === allowed ? requested : NOTHING;
}
