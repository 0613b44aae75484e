import type { Identity } from '@crossdock/auth';
import { ShippingHttpConnector } from '@crossdock/connectors';
import { toIsoUtc } from '@crossdock/model';
import type { FallbackCache } from '@crossdock/snapshots';
import { generateWorld, startShippingSimulator, type RunningSimulator, type WorldShipment } from '@crossdock/simulators';
import { errorCodes, startSubgraphHarness, startSubgraphOverHttp, type SimulatedBackend, type SubgraphHarness, type SubgraphOverHttp } from '@crossdock/testkit';
import type { FormattedExecutionResult } from 'graphql';
import { createShippingContext } from '../src/context';
import { buildShippingSchema, startShippingSubgraph } from '../src/server';

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

/** The carrier simulator and a real connector to it. */
const shippingBackend: SimulatedBackend<RunningSimulator, ShippingHttpConnector> = {
  startSimulator: startShippingSimulator,
  Connector: ShippingHttpConnector,
};

/** The carrier simulator, a real connector to it, and the subgraph's schema in process. */
export type ShippingHarness = SubgraphHarness<RunningSimulator, ShippingHttpConnector>;

/**
 * The real carrier simulator on a free port, the real connector, the subgraph in process; with
 * `snapshots`, contexts answer from that fallback cache while the carrier is down.
 */
export function startHarness(snapshots: FallbackCache | null = null): Promise<ShippingHarness> {
  return startSubgraphHarness(shippingBackend, {
    schema: buildShippingSchema(),
    createContext: (carrier, caller) => createShippingContext(carrier, caller, { snapshots }),
    // No caller unless a test names one, as in the all-in-one demo; narrowing tests pass their own.
    defaultCaller: null,
  });
}

/** The simulator and the shipping subgraph's real HTTP service, checking identities with `subgraphSecret`. */
export function startShippingOverHttp(subgraphSecret: string): Promise<SubgraphOverHttp<RunningSimulator, ShippingHttpConnector>> {
  return startSubgraphOverHttp(shippingBackend, { start: startShippingSubgraph, subgraphSecret });
}

/** The codes of a result's errors, with their paths, for compact assertions. */
export function errorsOf(result: FormattedExecutionResult<unknown>): ReturnType<typeof errorCodes> {
  return errorCodes(result.errors);
}
