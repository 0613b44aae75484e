import { BackendError } from '@crossdock/connectors';
import { GraphQLError } from 'graphql';
import { badUserInput } from './user-input';

/** The error code clients see when the commerce platform cannot answer (CONTRACT.md, Degraded answers). */
export const BACKEND_UNAVAILABLE = 'BACKEND_UNAVAILABLE';

/**
 * Runs one connector call and turns a BackendError into a GraphQL error that lands at the path
 * of every field waiting on it. The client learns which system failed, not its address or the
 * socket error; those stay in `originalError` for the logs.
 */
export async function callCommerce<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof BackendError ? unavailable(error) : error;
  }
}

/**
 * Like callCommerce for a list page that resumes at `after`. A cursor wraps the platform's own
 * page token, so a client can forge one that decodes fine; the platform then refuses the token
 * (HTTP 4xx), and that is the client's error to fix, not an outage.
 */
export async function callCommerceAfter<T>(after: string | null | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (after && error.kind === 'client-error') throw badUserInput('"after" is not a valid cursor for this list', 'after');
    throw unavailable(error);
  }
}

function unavailable(error: BackendError): GraphQLError {
  return new GraphQLError('The commerce platform is unavailable; try again shortly.', {
    originalError: error,
    extensions: { code: BACKEND_UNAVAILABLE, backend: 'commerce' },
  });
}
