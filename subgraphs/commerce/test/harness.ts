import type { Identity } from '@crossdock/auth';
import { CommerceHttpConnector } from '@crossdock/connectors';
import { toIsoUtc } from '@crossdock/model';
import { createSubgraphServer } from '@crossdock/service';
import { generateWorld, startCommerceSimulator, type FaultMode, type RunningSimulator, type WorldOrder } from '@crossdock/simulators';
import type { FormattedExecutionResult } from 'graphql';
import { createCommerceContext, type CommerceContext } from '../src/context';
import { buildCommerceSchema } from '../src/server';

/** The seeded world every simulator serves; the truth the subgraph's answers are checked against. */
export const world = generateWorld();

/** The world's orders as the commerce platform lists them: newest first. */
export const newestFirst: readonly WorldOrder[] = [...world.orders].sort(
  (a, b) => b.placedAtMs - a.placedAtMs || b.commerceId - a.commerceId,
);

/** Selection of every commerce field of an order. */
export const ORDER_FIELDS = /* GraphQL */ `
  id channel externalRef status placedAt customer { id }
  lines { id lineNumber sku quantity product { sku } }
`;

/** What the subgraph must answer for ORDER_FIELDS of a world order. */
export function expectedOrder(order: WorldOrder) {
  return {
    id: order.id,
    channel: order.channel,
    externalRef: order.externalRef,
    status: order.status,
    placedAt: toIsoUtc(order.placedAtMs),
    customer: { id: order.customerId },
    lines: order.lines.map((line) => ({
      id: `${order.id}:${line.lineNumber}`,
      lineNumber: line.lineNumber,
      sku: line.sku,
      quantity: line.quantity,
      product: { sku: line.sku },
    })),
  };
}

export function worldOrder(id: string): WorldOrder {
  const order = world.orders.find((o) => o.id === id);
  if (!order) throw new Error(`the world has no order ${id}`);
  return order;
}

/** A caller as the gateway would pass it on. */
export function identity(overrides: Partial<Identity> = {}): Identity {
  return { subject: 'test', scopes: ['orders:read'], customerId: null, channel: null, ...overrides };
}

export interface CommerceHarness {
  simulator: RunningSimulator;
  connector: CommerceHttpConnector;
  /** Runs an operation in process, with a fresh context as the HTTP service would build it. */
  run<TData>(query: string, variables?: Record<string, unknown>, caller?: Identity | null): Promise<FormattedExecutionResult<TData>>;
  /** Requests the simulator served since the last resetStats(). */
  backendRequests(): Promise<number>;
  resetStats(): Promise<void>;
  setFault(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

/** The real commerce simulator on a free port, the real connector, the subgraph in process. */
export async function startHarness(): Promise<CommerceHarness> {
  const simulator = await startCommerceSimulator({ port: 0 });
  const connector = new CommerceHttpConnector({ baseUrl: simulator.url });
  const server = createSubgraphServer<CommerceContext>(buildCommerceSchema());
  const admin = (path: string, body?: unknown) =>
    fetch(`${simulator.url}/_admin/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    simulator,
    connector,
    async run<TData>(query: string, variables: Record<string, unknown> = {}, caller: Identity | null = null) {
      const response = await server.executeOperation<TData>(
        { query, variables },
        { contextValue: createCommerceContext(connector, caller) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult;
    },
    async backendRequests() {
      const stats: unknown = await (await admin('stats')).json();
      if (typeof stats !== 'object' || stats === null || !('total' in stats) || typeof stats.total !== 'number') {
        throw new Error(`unexpected stats ${JSON.stringify(stats)}`);
      }
      return stats.total;
    },
    async resetStats() {
      await admin('stats/reset', {});
    },
    async setFault(mode) {
      const response = await admin('fault', { mode });
      if (!response.ok) throw new Error(`fault switch refused ${mode}: HTTP ${response.status}`);
    },
    async close() {
      await server.stop();
      await connector.close();
      await simulator.close();
    },
  };
}

/** The codes of a result's errors, with their paths, for compact assertions. */
export function errorsOf(result: FormattedExecutionResult<unknown>): { code: unknown; path: unknown }[] {
  return (result.errors ?? []).map((e) => ({ code: e.extensions?.code, path: e.path }));
}
