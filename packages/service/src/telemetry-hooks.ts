import { observeBackendCalls, type BackendCallObserver } from '@crossdock/connectors';
import { observeCircuits } from '@crossdock/resilience';
import {
  countCircuitTransition,
  inClientSpan,
  metricsExposition,
  observeBackendCall,
  registerBusinessMetrics,
  registerTechnicalMetrics,
  unwatchCircuit,
  watchCircuit,
} from '@crossdock/telemetry';
import type { Route } from './http-service';

let installed = false;

/**
 * Connects the libraries' observer hooks to the process's metrics and traces, once per process:
 * every backend call is timed and counted by outcome and carries the W3C trace context to the
 * backend; every circuit breaker reports its state and transitions. Called by every service at
 * start (startHttpService), before its connectors are used.
 */
export function installTelemetryHooks(): void {
  if (installed) return;
  installed = true;
  registerTechnicalMetrics();
  registerBusinessMetrics();
  observeBackendCalls(backendCallTelemetry);
  observeCircuits({
    created: watchCircuit,
    stopped: unwatchCircuit,
    transition: (backend, _from, to) => countCircuitTransition(backend, to),
  });
}

/** Times each backend call, counts its outcome (ok or the BackendError kind), and traces it. */
const backendCallTelemetry: BackendCallObserver = {
  around: (call, send) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    return inClientSpan(`${call.backend} ${call.method}`, { 'crossdock.backend': call.backend, 'http.request.method': call.method, 'url.path': call.path }, async (headers) => {
      try {
        const result = await send(headers);
        observeBackendCall(call.backend, call.method, 'ok', seconds());
        return result;
      } catch (error) {
        observeBackendCall(call.backend, call.method, failureKind(error), seconds());
        throw error;
      }
    });
  },
};

/** A BackendError's kind; "aborted" for a call its caller gave up on, "error" for anything else. */
function failureKind(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    if ('kind' in error && typeof error.kind === 'string') return error.kind;
    if ('name' in error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return 'aborted';
  }
  return 'error';
}

/** `GET /metrics`: the process's registry in Prometheus text format, for scraping (no auth, as is usual). */
export const metricsRoute: Route = {
  methods: ['GET'],
  path: '/metrics',
  handler: async (_req, res) => {
    const { contentType, body } = await metricsExposition();
    res.statusCode = 200;
    res.setHeader('content-type', contentType);
    res.end(body);
  },
};
