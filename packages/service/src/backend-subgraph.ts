import type { BaseContext } from '@apollo/server';
import type { Identity } from '@crossdock/auth';
import { isOutage } from '@crossdock/connectors';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { ReadinessReport, Route, RunningService } from './http-service';
import { startSubgraphService } from './subgraph-service';

/** /ready must answer quickly even when the backend hangs; the gateway polls it. */
export const READINESS_TIMEOUT_MS = 1_000;

/**
 * How to run a subgraph in front of its one backend. The subgraph's index.ts fills it from the
 * environment; tests and the all-in-one hub pass their own.
 */
export interface BackendSubgraphOptions<K> {
  port: number;
  host?: string;
  /** The backend's connector; the caller owns it and closes it after the service. */
  connector: K;
  /** HUB_SUBGRAPH_SECRET; null only in all-in-one demos and in-process tests. */
  subgraphSecret: string | null;
  logger: Logger;
  /** Stack traces and introspection, for local development only. */
  development?: boolean;
  /** The circuit breaker in front of the connector's backend, when it has one (see backendReadiness). */
  circuit?: CircuitView;
}

/** What /ready reads of a backend's circuit breaker; a CircuitBreaker of @crossdock/resilience is one. */
export interface CircuitView {
  state(): { state: string };
}

/** What makes one subgraph differ from another: its schema, context and readiness probe. */
export interface BackendSubgraphSpec<C extends BaseContext, K> {
  /** The subgraph's name in logs and on /health, e.g. "erp". */
  name: string;
  schema: GraphQLSchema;
  /** Per-request context over the connector: fresh DataLoaders for every request. */
  createContext: (connector: K, identity: Identity | null) => C;
  /** The cheapest backend call that proves the backend answers; it backs /ready. */
  probe: (connector: K) => Promise<unknown>;
  /** The name of that check on /ready; the subgraph's name when omitted. */
  readinessCheck?: string;
  /** Shown on /ready without ever making it unready, e.g. the fallback cache (see SubgraphServiceOptions). */
  readinessDetail?: () => Record<string, unknown>;
  /** Run on close, after the server stopped: stops what the subgraph started besides it (the fallback cache). */
  onClose?: () => Promise<void>;
  /** More HTTP routes beside /graphql (see SubgraphServiceOptions.routes). */
  routes?: readonly Route[];
}

/** Starts a subgraph over HTTP: /graphql, /health, and /ready (its backend answers the probe). */
export function startBackendSubgraph<C extends BaseContext, K>(
  spec: BackendSubgraphSpec<C, K>,
  options: BackendSubgraphOptions<K>,
): Promise<RunningService> {
  const { connector } = options;
  return startSubgraphService<C>(
    {
      name: spec.name,
      schema: spec.schema,
      createContext: (identity) => spec.createContext(connector, identity),
      subgraphSecret: options.subgraphSecret,
      logger: options.logger,
      readiness: () => backendReadiness(spec.readinessCheck ?? spec.name, () => spec.probe(connector), { circuit: options.circuit }),
      development: options.development ?? false,
      ...(spec.readinessDetail ? { readinessDetail: spec.readinessDetail } : {}),
      ...(spec.onClose ? { onClose: spec.onClose } : {}),
      ...(spec.routes ? { routes: spec.routes } : {}),
    },
    { port: options.port, ...(options.host === undefined ? {} : { host: options.host }) },
  );
}

export interface BackendReadinessOptions {
  /** How long the probe may take. Default READINESS_TIMEOUT_MS. */
  timeoutMs?: number;
  /** The backend's circuit breaker: its state joins the detail, and an outage no longer means "not ready". */
  circuit?: CircuitView | undefined;
}

/**
 * Reports ready when `probe` answers within the timeout, e.g. `{ erp: "up" }`, and not ready with
 * the reason otherwise, e.g. `{ carrier: "down: no answer within 1000 ms" }`.
 *
 * With a circuit, the detail carries its state (`{ erp: "up", circuit: "closed" }`) and a backend
 * outage (reset, timeout, 5xx, circuit open) leaves the subgraph READY, saying so in the detail
 * (`{ erp: "down: …", circuit: "open" }`): it still answers, from the fallback cache or with a fast
 * BACKEND_UNAVAILABLE, and every replica shares the one backend, so taking replicas out of
 * rotation would only turn degraded answers into none. A probe the backend answers wrongly
 * (4xx, unreadable) is a misconfiguration that no waiting fixes: not ready.
 */
export async function backendReadiness(
  check: string,
  probe: () => Promise<unknown>,
  options: BackendReadinessOptions = {},
): Promise<ReadinessReport> {
  const { timeoutMs = READINESS_TIMEOUT_MS, circuit } = options;
  const noAnswer = new Error(`no answer within ${timeoutMs} ms`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(noAnswer), timeoutMs);
  });
  // Read after the probe: the probe's own outcome may just have moved the circuit.
  const circuitDetail = () => (circuit ? { circuit: circuit.state().state } : {});
  try {
    await Promise.race([probe(), timeout]);
    return { ready: true, checks: { [check]: 'up', ...circuitDetail() } };
  } catch (error) {
    const outage = error === noAnswer || isOutage(error);
    const down = `down: ${error instanceof Error ? error.message : String(error)}`;
    return { ready: circuit !== undefined && outage, checks: { [check]: down, ...circuitDetail() } };
  } finally {
    // A probe that answered in time must not leave a timer behind for every /ready poll.
    clearTimeout(timer);
  }
}
