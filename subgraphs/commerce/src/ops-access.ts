import { hasScope, type Identity } from '@crossdock/auth';
import { ExceptionStoreUnavailableError } from '@crossdock/exceptions';
import { BACKEND_UNAVAILABLE, isRowRestricted } from '@crossdock/service';
import { GraphQLError } from 'graphql';

/**
 * Exceptions, replay and discard need `ops:admin` (CONTRACT.md, Auth) and a token not limited to
 * a customer or channel. A null identity reaches a resolver only where nothing signs identities
 * (the service was started without a subgraph secret: in-process tests and demos), as for
 * placeOrder: allowed.
 */
export function requireOpsAdmin(identity: Identity | null): void {
  if (identity !== null && !hasScope(identity, 'ops:admin')) {
    throw new GraphQLError('exceptions, replay and discard need the ops:admin scope', { extensions: { code: 'FORBIDDEN' } });
  }
  // Exceptions hold every customer's raw payloads (orders, webhooks, EDI documents): they are for
  // the hub's own operators, never for a token limited to one customer or channel.
  if (isRowRestricted(identity)) {
    throw new GraphQLError('exceptions, replay and discard are for hub operators, not for a token limited to a customer or channel', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
}

/** Who an operator's replay or discard is recorded as. */
export function operatorOf(identity: Identity | null): string {
  return identity?.subject ?? 'unsigned in-process caller';
}

/**
 * Runs an exception-store call; the store being unreachable becomes BACKEND_UNAVAILABLE with
 * `extensions.backend: "exception-store"` (its message, with the server address, stays in the logs).
 */
export async function fromExceptionStore<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ExceptionStoreUnavailableError)) throw error;
    throw new GraphQLError("The hub's exception store is unavailable; try again shortly.", {
      originalError: error,
      extensions: { code: BACKEND_UNAVAILABLE, backend: 'exception-store' },
    });
  }
}
