import { Counter, Gauge, Histogram } from 'prom-client';
import { BoundedLabel } from './bounded-label';
import { hubRegistry } from './registry';

/** Latency buckets for requests and backend calls, in seconds: 5 ms to 10 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Distinct operation names kept as labels; later ones are counted as "other". */
const MAX_OPERATION_NAMES = 200;
const operationNames = new BoundedLabel(MAX_OPERATION_NAMES);

/** How one GraphQL request ended, as a label. */
export type OperationOutcome = 'ok' | 'error' | 'degraded' | 'refused';

/** What a circuit breaker's state is as a gauge value: 0 closed, 1 half-open, 2 open. */
export const CIRCUIT_STATE_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;
export type CircuitStateName = keyof typeof CIRCUIT_STATE_VALUES;

/** A circuit as the gauge reads it at scrape time; CircuitBreaker of @crossdock/resilience is one. */
export interface ObservedCircuit {
  readonly backend: string;
  state(): { state: CircuitStateName };
}

function created<T>(factory: () => T): () => T {
  let instance: T | null = null;
  return () => (instance ??= factory());
}

const metrics = created(() => {
  const registers = [hubRegistry()];
  return {
    operationSeconds: new Histogram({
      name: 'crossdock_graphql_operation_duration_seconds',
      help: 'GraphQL operations through the gateway, by operation name (bounded), client class and outcome.',
      labelNames: ['operation', 'client_class', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    subgraphFetchSeconds: new Histogram({
      name: 'crossdock_subgraph_fetch_duration_seconds',
      help: 'Fetches from the gateway to a subgraph, by subgraph and outcome (ok, error).',
      labelNames: ['subgraph', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    subgraphFetchErrors: new Counter({
      name: 'crossdock_subgraph_fetch_errors_total',
      help: 'Subgraph fetches that failed (network, HTTP error, unreadable answer).',
      labelNames: ['subgraph'] as const,
      registers,
    }),
    backendCallSeconds: new Histogram({
      name: 'crossdock_backend_call_duration_seconds',
      help: 'Calls from a connector to its backend system, by backend, method and outcome (ok or the BackendError kind).',
      labelNames: ['backend', 'method', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    backendCallErrors: new Counter({
      name: 'crossdock_backend_call_errors_total',
      help: 'Backend calls that failed, by backend and BackendError kind (timeout, reset, unavailable, server-error, ...).',
      labelNames: ['backend', 'kind'] as const,
      registers,
    }),
    circuitTransitions: new Counter({
      name: 'crossdock_circuit_transitions_total',
      help: 'Circuit breaker state changes, by backend and the state entered.',
      labelNames: ['backend', 'to'] as const,
      registers,
    }),
    fallbackAnswers: new Counter({
      name: 'crossdock_fallback_answers_total',
      help: 'Answers served from the fallback cache while a backend was down, by subgraph and snapshot kind.',
      labelNames: ['subgraph', 'kind'] as const,
      registers,
    }),
    fallbackMisses: new Counter({
      name: 'crossdock_fallback_misses_total',
      help: 'Keys a backend outage left unanswered because no servable snapshot existed (BACKEND_UNAVAILABLE).',
      labelNames: ['subgraph', 'kind'] as const,
      registers,
    }),
    rateLimited: new Counter({
      name: 'crossdock_rate_limited_total',
      help: 'Requests refused with RATE_LIMITED by the gateway, by client class.',
      labelNames: ['client_class'] as const,
      registers,
    }),
    eventStreamLag: new Gauge({
      name: 'crossdock_event_stream_lag',
      help: 'Events appended to a stream that a consumer group has not yet processed (set by the event bus).',
      labelNames: ['stream', 'group'] as const,
      registers,
    }),
    eventStreamLagSeconds: new Gauge({
      name: 'crossdock_event_stream_lag_seconds',
      help: 'Age of the oldest event a consumer group has not yet processed (set by the event bus).',
      labelNames: ['stream', 'group'] as const,
      registers,
    }),
    subscriptionsOpen: new Gauge({
      name: 'crossdock_subscriptions_open',
      help: 'GraphQL subscriptions open on this gateway, by root field (set by the subscription server).',
      labelNames: ['field'] as const,
      registers,
    }),
  };
});

/** Circuits whose state the gauge reports; a circuit leaves when its backend name is watched anew. */
const watchedCircuits = new Map<string, ObservedCircuit>();

const circuitGauge = created(
  () =>
    new Gauge({
      name: 'crossdock_circuit_state',
      help: 'Circuit breaker state per backend: 0 closed, 1 half-open, 2 open.',
      labelNames: ['backend'] as const,
      registers: [hubRegistry()],
      collect() {
        this.reset();
        for (const circuit of watchedCircuits.values()) this.set({ backend: circuit.backend }, CIRCUIT_STATE_VALUES[circuit.state().state]);
      },
    }),
);

/** The gateway's request line: one GraphQL operation, timed from its arrival to its answer. */
export function observeOperation(operation: string | null, clientClass: string, outcome: OperationOutcome, seconds: number): void {
  metrics().operationSeconds.observe({ operation: operationNames.value(operation, 'anonymous'), client_class: clientClass, outcome }, seconds);
}

/** One fetch from the gateway to a subgraph. */
export function observeSubgraphFetch(subgraph: string, ok: boolean, seconds: number): void {
  metrics().subgraphFetchSeconds.observe({ subgraph, outcome: ok ? 'ok' : 'error' }, seconds);
  if (!ok) metrics().subgraphFetchErrors.inc({ subgraph });
}

/** One call from a connector to its backend; `outcome` is "ok" or the BackendError kind. */
export function observeBackendCall(backend: string, method: string, outcome: string, seconds: number): void {
  metrics().backendCallSeconds.observe({ backend, method, outcome }, seconds);
  if (outcome !== 'ok') metrics().backendCallErrors.inc({ backend, kind: outcome });
}

/** Reports this circuit's state on `crossdock_circuit_state` from now on (read at each scrape). */
export function watchCircuit(circuit: ObservedCircuit): void {
  circuitGauge();
  watchedCircuits.set(circuit.backend, circuit);
}

/** Stops reporting a circuit (its service closed). */
export function unwatchCircuit(circuit: ObservedCircuit): void {
  if (watchedCircuits.get(circuit.backend) === circuit) watchedCircuits.delete(circuit.backend);
}

/** Counts one state change of a backend's circuit. */
export function countCircuitTransition(backend: string, to: string): void {
  metrics().circuitTransitions.inc({ backend, to });
}

/** Counts answers a subgraph served from its fallback cache (`served`) or could not (`missed`). */
export function countFallback(subgraph: string, kind: string, served: number, missed: number): void {
  if (served > 0) metrics().fallbackAnswers.inc({ subgraph, kind }, served);
  if (missed > 0) metrics().fallbackMisses.inc({ subgraph, kind }, missed);
}

/** Counts one request the gateway refused with RATE_LIMITED. */
export function countRateLimited(clientClass: string): void {
  metrics().rateLimited.inc({ client_class: clientClass });
}

/**
 * For the event bus: how far a consumer group is behind its stream, in events and in the age of
 * the oldest unprocessed one (seconds; 0 when it is caught up).
 */
export function setEventStreamLag(stream: string, group: string, events: number, oldestAgeSeconds: number): void {
  metrics().eventStreamLag.set({ stream, group }, events);
  metrics().eventStreamLagSeconds.set({ stream, group }, oldestAgeSeconds);
}

/** For the subscription server: one subscription on `field` opened (+1) or closed (-1). */
export function countSubscriptionsOpen(field: string, delta: 1 | -1): void {
  metrics().subscriptionsOpen.inc({ field }, delta);
}

/** Creates every technical series up front, so dashboards and the console see zeros, not gaps. */
export function registerTechnicalMetrics(): void {
  metrics();
  circuitGauge();
}
