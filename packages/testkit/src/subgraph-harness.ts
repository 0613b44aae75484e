import type { BaseContext } from '@apollo/server';
import type { Identity } from '@crossdock/auth';
import {
  createLogger,
  createSubgraphServer,
  type BackendSubgraphOptions,
  type ClosableConnector,
  type RunningService,
} from '@crossdock/service';
import type { FormattedExecutionResult, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { readSimulatorStats, resetSimulatorStats, setSimulatorFault, type SimulatorFaultMode } from './simulator-stats';

/** A started backend simulator; the simulators' RunningSimulator fits. */
export interface SimulatorProcess {
  url: string;
  close(): Promise<void>;
}

/**
 * A subgraph's backend as its tests run it: a real simulator and a real connector to it. Passed
 * in by the subgraph, because libraries never import simulators or subgraphs.
 */
export interface SimulatedBackend<S extends SimulatorProcess, K extends ClosableConnector> {
  /** Starts the simulator, e.g. startErpSimulator; tests ask for port 0, a free one. */
  startSimulator: (options: { port: number }) => Promise<S>;
  /** The backend's HTTP connector class, e.g. ErpHttpConnector; built on the simulator's URL. */
  Connector: new (options: { baseUrl: string }) => K;
}

/** The subgraph as its in-process tests run it. */
export interface InProcessSubgraph<C extends BaseContext, K> {
  schema: GraphQLSchema;
  /** The subgraph's own context factory, as the HTTP service calls it per request. */
  createContext: (connector: K, identity: Identity | null) => C;
  /** The caller run() passes on when a test names none. */
  defaultCaller: Identity | null;
}

/** A simulator, a real connector to it, and the subgraph's schema in process. */
export interface SubgraphHarness<S extends SimulatorProcess, K extends ClosableConnector> {
  simulator: S;
  connector: K;
  /** Runs an operation in process, with a fresh context as the HTTP service would build it. */
  run<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: Identity | null,
  ): Promise<FormattedExecutionResult<TData>>;
  /** Backend requests the simulator served since the last reset. */
  backendRequests(): Promise<number>;
  resetBackendRequests(): Promise<void>;
  setFault(mode: SimulatorFaultMode): Promise<void>;
  /** Stops the server, then the connector, then the simulator. */
  close(): Promise<void>;
}

/** Starts the simulator on a free port and the subgraph's schema in process; close() stops both. */
export async function startSubgraphHarness<S extends SimulatorProcess, K extends ClosableConnector, C extends BaseContext>(
  backend: SimulatedBackend<S, K>,
  subgraph: InProcessSubgraph<C, K>,
): Promise<SubgraphHarness<S, K>> {
  const simulator = await backend.startSimulator({ port: 0 });
  const connector = new backend.Connector({ baseUrl: simulator.url });
  const server = createSubgraphServer<C>(subgraph.schema);
  await server.start();
  return {
    simulator,
    connector,
    async run<TData>(query: string, variables?: Record<string, unknown>, caller: Identity | null = subgraph.defaultCaller) {
      const response = await server.executeOperation<TData>(
        { query, ...(variables ? { variables } : {}) },
        // A fresh context per operation, exactly as the HTTP service builds one per request.
        { contextValue: subgraph.createContext(connector, caller) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult;
    },
    backendRequests: async () => (await readSimulatorStats(simulator.url)).total,
    resetBackendRequests: () => resetSimulatorStats(simulator.url),
    setFault: (mode) => setSimulatorFault(simulator.url, { mode }),
    async close() {
      await server.stop();
      await connector.close();
      await simulator.close();
    },
  };
}

/** The subgraph's real HTTP service in front of a simulator. */
export interface SubgraphOverHttp<S extends SimulatorProcess, K extends ClosableConnector> {
  simulator: S;
  connector: K;
  service: RunningService;
  /** Stops the service, then the connector, then the simulator. */
  close(): Promise<void>;
}

export interface SubgraphOverHttpOptions<K> {
  /** The subgraph's start function from its server.ts, e.g. startErpSubgraph. */
  start: (options: BackendSubgraphOptions<K>) => Promise<RunningService>;
  /** The key the service checks the gateway's identity header with. */
  subgraphSecret: string;
}

/** Starts the simulator and the subgraph's HTTP service, both on free loopback ports. */
export async function startSubgraphOverHttp<S extends SimulatorProcess, K extends ClosableConnector>(
  backend: SimulatedBackend<S, K>,
  options: SubgraphOverHttpOptions<K>,
): Promise<SubgraphOverHttp<S, K>> {
  const simulator = await backend.startSimulator({ port: 0 });
  const connector = new backend.Connector({ baseUrl: simulator.url });
  const service = await options.start({
    port: 0,
    host: '127.0.0.1',
    connector,
    subgraphSecret: options.subgraphSecret,
    logger: createLogger('subgraph-test', 'silent'),
  });
  return {
    simulator,
    connector,
    service,
    async close() {
      await service.close();
      await connector.close();
      await simulator.close();
    },
  };
}

/** The error codes of a result, by path, for compact assertions. */
export function errorCodes(errors: readonly GraphQLFormattedError[] | undefined): { path: readonly (string | number)[] | undefined; code: unknown }[] {
  return (errors ?? []).map((e) => ({ path: e.path, code: e.extensions?.code }));
}
