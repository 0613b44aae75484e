import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { ExceptionStoreUnavailableError } from './ports';

/**
 * Socket errors the driver (7.x) sometimes passes through unwrapped, e.g. EPIPE when it writes
 * to a pooled connection whose server has just died.
 */
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function isUnreachable(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  // By shape, not `instanceof Error`: Node's own errors come from another realm under Jest.
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && SOCKET_ERROR_CODES.has(error.code);
}

/** Turns every "cannot reach the server" failure into ExceptionStoreUnavailableError with a clear message; others pass. */
export function translateMongoError(server: string, operation: string, error: unknown): unknown {
  if (!isUnreachable(error)) return error;
  const reason = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return new ExceptionStoreUnavailableError(`exception store at ${server} is unavailable (${operation}): ${reason}`, { cause: error });
}
