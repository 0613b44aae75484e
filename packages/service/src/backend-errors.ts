import { BackendError } from '@crossdock/connectors';
import { GraphQLError } from 'graphql';

/** The error code clients see when a backend cannot answer (CONTRACT.md, Degraded answers). */
export const BACKEND_UNAVAILABLE = 'BACKEND_UNAVAILABLE';

export interface FromBackendOptions {
  /** What the client reads; by default "The ERP is unavailable; try again shortly." and the like. */
  message?: string;
}

/** How clients read each backend's name. The connector's own message (request, socket error) stays in the logs. */
const SYSTEM_NAMES: Record<string, string> = {
  erp: 'The ERP',
  wms: 'The warehouse system',
  commerce: 'The commerce platform',
  shipping: 'The carrier system',
};

function unavailableMessage(backend: string): string {
  return `${SYSTEM_NAMES[backend] ?? `The ${backend} backend`} is unavailable; try again shortly.`;
}

/**
 * Runs one connector call and turns a BackendError (reset, timeout, 5xx, an answer the connector
 * cannot read) into the GraphQL error the contract promises: code BACKEND_UNAVAILABLE with
 * `extensions.backend`, placed by graphql-js at the path of every field waiting on the call. The
 * BackendError stays in `originalError` for the logs. Anything else is a bug and stays an
 * internal error.
 */
export async function fromBackend<T>(call: () => Promise<T>, options: FromBackendOptions = {}): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asGraphQLError(error, options);
  }
}

/**
 * The error a client sees for `error`: a BackendError becomes BACKEND_UNAVAILABLE (as in
 * fromBackend), anything else is returned unchanged. For errors that are values rather than
 * thrown, e.g. one key of a DataLoader batch that failed while the others were served.
 */
export function asGraphQLError<E>(error: E, options: FromBackendOptions = {}): E | GraphQLError {
  if (!(error instanceof BackendError)) return error;
  return new GraphQLError(options.message ?? unavailableMessage(error.backend), {
    originalError: error,
    extensions: { code: BACKEND_UNAVAILABLE, backend: error.backend },
  });
}
