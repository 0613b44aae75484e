import { setTimeout as sleep } from 'node:timers/promises';
import { BackendError, type JsonRequest, type JsonResponse, type JsonTransport } from '@crossdock/connectors';
import type { CircuitBreaker } from './circuit-breaker';

export interface ResilientTransportOptions {
  /** The backend's circuit; the transport owns it and stops its probe on close(). */
  circuit: CircuitBreaker;
  /** Retry a failed safe read once (READ_RETRY). Default true. */
  retryReads?: boolean;
  /** Mean pause before that retry; each pause is drawn between half and 1.5 times it. Default 50 ms. */
  retryDelayMs?: number;
}

/** Failures worth one more try: a dropped keep-alive socket, a lost answer, a passing 5xx. */
const RETRIED_KINDS: ReadonlySet<string> = new Set(['reset', 'timeout', 'server-error']);
const DEFAULT_RETRY_DELAY_MS = 50;

/**
 * A connector's transport with a circuit breaker on every call and ONE retry for reads that are
 * safe to repeat: GETs, and POSTs the connector marks `safeToRetry` (queries sent by POST).
 * Writes are never retried here: whether a posting may be repeated is the outbox's decision, made
 * with the backend's idempotency in mind. A call's timeout is the wrapped client's; a retried read
 * may therefore take up to twice that.
 */
export class ResilientTransport implements JsonTransport {
  readonly backend: string;
  readonly circuit: CircuitBreaker;
  private readonly retryReads: boolean;
  private readonly retryDelayMs: number;

  constructor(
    private readonly inner: JsonTransport,
    options: ResilientTransportOptions,
  ) {
    this.backend = inner.backend;
    this.circuit = options.circuit;
    this.retryReads = options.retryReads ?? true;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  }

  async request(request: JsonRequest): Promise<JsonResponse> {
    try {
      return await this.circuit.run(() => this.inner.request(request));
    } catch (error) {
      if (!this.mayRetry(request, error)) throw error;
      // Jitter: the callers hit by the same hiccup must not all come back in the same instant.
      const pause = this.retryDelayMs * (0.5 + Math.random());
      await sleep(pause, undefined, request.signal ? { signal: request.signal } : undefined);
      return this.circuit.run(() => this.inner.request(request));
    }
  }

  async close(): Promise<void> {
    this.circuit.stop();
    await this.inner.close();
  }

  private mayRetry(request: JsonRequest, error: unknown): boolean {
    if (!this.retryReads || !(request.safeToRetry ?? request.method === 'GET') || request.signal?.aborted) return false;
    if (!(error instanceof BackendError) || !RETRIED_KINDS.has(error.kind)) return false;
    // This failure may just have opened the circuit: the backend is known down, a retry would only pile on.
    return this.circuit.state().state === 'closed';
  }
}
