import { BackendError } from '@crossdock/connectors';
import { GraphQLError } from 'graphql';

/**
 * Runs a backend call and turns a BackendError (reset, timeout, 5xx, an answer the connector
 * cannot read) into the GraphQL error the contract promises: code BACKEND_UNAVAILABLE, placed
 * by graphql-js at the field that asked. Anything else is a bug and stays an internal error.
 */
export async function fromBackend<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof BackendError) {
      throw new GraphQLError(error.message, {
        originalError: error,
        extensions: { code: 'BACKEND_UNAVAILABLE', backend: error.backend },
      });
    }
    throw error;
  }
}
