import { BackendError } from '@crossdock/connectors';
import { GraphQLError } from 'graphql';

/** The error code clients see when the carrier cannot answer (CONTRACT.md, Degraded answers). */
export const BACKEND_UNAVAILABLE = 'BACKEND_UNAVAILABLE';

/**
 * Runs one connector call and turns a BackendError into a GraphQL error that lands at the path
 * of every field waiting on it. The client learns which system failed, not its address or the
 * socket error; those stay in `originalError` for the logs.
 */
export async function callCarrier<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof BackendError) {
      throw new GraphQLError('The carrier system is unavailable; try again shortly.', {
        originalError: error,
        extensions: { code: BACKEND_UNAVAILABLE, backend: 'shipping' },
      });
    }
    throw error;
  }
}
