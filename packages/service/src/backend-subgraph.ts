import type { BaseContext } from '@apollo/server';
import type { Identity } from '@crossdock/auth';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { ReadinessReport, RunningService } from './http-service';
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
      readiness: () => backendReadiness(spec.readinessCheck ?? spec.name, () => spec.probe(connector)),
      development: options.development ?? false,
    },
    { port: options.port, ...(options.host === undefined ? {} : { host: options.host }) },
  );
}

/**
 * Reports ready when `probe` answers within `timeoutMs`, e.g. `{ erp: "up" }`, and not ready with
 * the reason otherwise, e.g. `{ carrier: "down: no answer within 1000 ms" }`.
 */
export async function backendReadiness(
  check: string,
  probe: () => Promise<unknown>,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<ReadinessReport> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ready: true, checks: { [check]: 'up' } };
  } catch (error) {
    return { ready: false, checks: { [check]: `down: ${error instanceof Error ? error.message : String(error)}` } };
  } finally {
    // A probe that answered in time must not leave a timer behind for every /ready poll.
    clearTimeout(timer);
  }
}
