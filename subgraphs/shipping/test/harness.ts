import type { Identity } from '@crossdock/auth';
import { ShippingHttpConnector } from '@crossdock/connectors';
import { toIsoUtc } from '@crossdock/model';
import { createSubgraphServer } from '@crossdock/service';
import { generateWorld, startShippingSimulator, type FaultMode, type RunningSimulator, type WorldShipment } from '@crossdock/simulators';
import type { FormattedExecutionResult } from 'graphql';
import { createShippingContext, type ShippingContext } from '../src/context';
import { buildShippingSchema } from '../src/server';

/** The seeded world every simulator serves; the truth the subgraph's answers are checked against. */
export const world = generateWorld();

/** Selection of every shipping field of a shipment. */
export const SHIPMENT_FIELDS = /* GraphQL */ `
  id order { id } carrier trackingNumber status estimatedDelivery
  events { at status location description }
`;

/** What the subgraph must answer for SHIPMENT_FIELDS of a world shipment. */
export function expectedShipment(shipment: WorldShipment) {
  return {
    id: shipment.id,
    order: { id: shipment.orderId },
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    status: shipment.status,
    estimatedDelivery: shipment.estimatedDeliveryMs === null ? null : toIsoUtc(shipment.estimatedDeliveryMs),
    events: [...shipment.events]
      .sort((a, b) => a.atMs - b.atMs)
      .map((e) => ({ at: toIsoUtc(e.atMs), status: e.status, location: e.place.city, description: e.description })),
  };
}

/** The world's shipments of an order. */
export function shipmentsOf(orderId: string): WorldShipment[] {
  return world.shipments.filter((s) => s.orderId === orderId);
}

/** A caller as the gateway would pass it on. */
export function identity(overrides: Partial<Identity> = {}): Identity {
  return { subject: 'test', scopes: ['shipments:read'], customerId: null, channel: null, ...overrides };
}

export interface ShippingHarness {
  simulator: RunningSimulator;
  connector: ShippingHttpConnector;
  /** Runs an operation in process, with a fresh context as the HTTP service would build it. */
  run<TData>(query: string, variables?: Record<string, unknown>, caller?: Identity | null): Promise<FormattedExecutionResult<TData>>;
  /** Requests the simulator served since the last resetStats(). */
  backendRequests(): Promise<number>;
  resetStats(): Promise<void>;
  setFault(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

/** The real carrier simulator on a free port, the real connector, the subgraph in process. */
export async function startHarness(): Promise<ShippingHarness> {
  const simulator = await startShippingSimulator({ port: 0 });
  const connector = new ShippingHttpConnector({ baseUrl: simulator.url });
  const server = createSubgraphServer<ShippingContext>(buildShippingSchema());
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
        { contextValue: createShippingContext(connector, caller) },
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
