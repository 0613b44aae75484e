import { hasScope, type Identity } from '@crossdock/auth';
import { isRowRestricted } from './row-access';

/**
 * May this caller use the operators' endpoints (the ops console, drift reports, exceptions)?
 * It needs `ops:admin`, and a token limited to one customer or channel never qualifies: those
 * endpoints show every customer's data.
 */
export function isOpsAdmin(identity: Identity): boolean {
  return hasScope(identity, 'ops:admin') && !isRowRestricted(identity);
}
