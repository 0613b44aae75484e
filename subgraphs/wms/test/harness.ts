import type { Identity } from '@crossdock/auth';
import { WmsHttpConnector } from '@crossdock/connectors';
import { startWmsSimulator, type FaultMode, type RunningSimulator } from '@crossdock/simulators';
import { createSubgraphServer } from '@crossdock/service';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { createWmsContext, type WmsContext } from '../src/context';
import { buildWmsSchema } from '../src/server';

/** A caller with every scope; the subgraph trusts the gateway to have checked scopes. */
export const TEST_IDENTITY: Identity = { subject: 'wms-test', scopes: ['inventory:read', 'orders:read'], customerId: null, channel: null };

/** What an in-process operation answered. */
export interface OperationResult<T> {
  data: T | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

/** The WMS simulator, a real connector to it, and the subgraph's schema in process. */
export interface WmsHarness {
  simulator: RunningSimulator;
  run<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<OperationResult<T>>;
  /** Backend requests the simulator served since the last reset. */
  backendRequests(): Promise<number>;
  resetBackendRequests(): Promise<void>;
  fault(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

/** Starts the simulator on a free port and the subgraph's schema in process; close() stops both. */
export async function startWmsHarness(): Promise<WmsHarness> {
  const simulator = await startWmsSimulator({ port: 0 });
  const connector = new WmsHttpConnector({ baseUrl: simulator.url });
  const server: ApolloServer<WmsContext> = createSubgraphServer<WmsContext>(buildWmsSchema());
  await server.start();
  const admin = (path: string, body?: unknown) =>
    fetch(`${simulator.url}/_admin/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    simulator,
    async run<T>(query: string, variables?: Record<string, unknown>): Promise<OperationResult<T>> {
      const response = await server.executeOperation<T>(
        { query, ...(variables ? { variables } : {}) },
        // A fresh context per operation, exactly as the HTTP service builds one per request.
        { contextValue: createWmsContext(connector, TEST_IDENTITY) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return { data: response.body.singleResult.data, errors: response.body.singleResult.errors };
    },
    async backendRequests() {
      const stats: unknown = await (await admin('stats')).json();
      if (typeof stats !== 'object' || stats === null || !('total' in stats) || typeof stats.total !== 'number') {
        throw new Error(`unexpected stats answer: ${JSON.stringify(stats)}`);
      }
      return stats.total;
    },
    async resetBackendRequests() {
      await admin('stats/reset', {});
    },
    async fault(mode) {
      const response = await admin('fault', { mode });
      if (!response.ok) throw new Error(`fault switch refused: ${await response.text()}`);
    },
    async close() {
      await server.stop();
      await connector.close();
      await simulator.close();
    },
  };
}

/** The error codes of a result, by path, for compact assertions. */
export function errorCodes(errors: readonly GraphQLFormattedError[] | undefined): { path: readonly (string | number)[] | undefined; code: unknown }[] {
  return (errors ?? []).map((e) => ({ path: e.path, code: e.extensions?.code }));
}
