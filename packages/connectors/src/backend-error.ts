/**
 * How a backend call failed, in the terms the hub reacts to: a circuit breaker counts timeouts,
 * resets, unavailability and server errors; a client error is our bug, not the backend's
 * outage; a bad response means the backend said something the connector cannot translate;
 * circuit-open means the call was not made at all, because the backend's circuit breaker knows
 * it is down (an outage to every caller, but never counted by a breaker).
 */
export const BACKEND_ERROR_KINDS = ['timeout', 'reset', 'unavailable', 'server-error', 'client-error', 'bad-response', 'circuit-open'] as const;
export type BackendErrorKind = (typeof BACKEND_ERROR_KINDS)[number];

export interface BackendErrorInit {
  /** Which backend failed, e.g. "erp". */
  backend: string;
  kind: BackendErrorKind;
  message: string;
  /** HTTP status, when the backend answered at all. */
  status?: number;
  /** The backend's own error code when it refused a request (e.g. "CustomerBlocked", "insufficient_stock"). */
  code?: string;
  cause?: unknown;
}

/** The only error a connector throws for a backend's failure (see BackendErrorKind). */
export class BackendError extends Error {
  override name = 'BackendError';
  readonly backend: string;
  readonly kind: BackendErrorKind;
  readonly status?: number;
  /** The backend's own refusal code, so callers can react to a business refusal without parsing text. */
  readonly code?: string;

  constructor(init: BackendErrorInit) {
    super(`${init.backend} backend: ${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.backend = init.backend;
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
  }
}

/**
 * True for failures that say the backend is unhealthy, so a caller should serve its fallback:
 * the outages a circuit breaker counts, and `circuit-open`, the breaker's verdict on them.
 */
export function isOutage(error: unknown): error is BackendError {
  return error instanceof BackendError && error.kind !== 'client-error' && error.kind !== 'bad-response';
}
