import type { Identity } from '@crossdock/auth';
import { CommerceHttpConnector } from '@crossdock/connectors';
import { toIsoUtc } from '@crossdock/model';
import { generateWorld, startCommerceSimulator, type RunningSimulator, type WorldOrder } from '@crossdock/simulators';
import { errorCodes, startSubgraphHarness, startSubgraphOverHttp, type SimulatedBackend, type SubgraphHarness, type SubgraphOverHttp } from '@crossdock/testkit';
import type { FormattedExecutionResult } from 'graphql';
import { createCommerceContext } from '../src/context';
import { buildCommerceSchema, startCommerceSubgraph } from '../src/server';

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

/** The commerce simulator and a real connector to it. */
const commerceBackend: SimulatedBackend<RunningSimulator, CommerceHttpConnector> = {
  startSimulator: startCommerceSimulator,
  Connector: CommerceHttpConnector,
};

/** The commerce simulator, a real connector to it, and the subgraph's schema in process. */
export type CommerceHarness = SubgraphHarness<RunningSimulator, CommerceHttpConnector>;

/** The real commerce simulator on a free port, the real connector, the subgraph in process. */
export function startHarness(): Promise<CommerceHarness> {
  return startSubgraphHarness(commerceBackend, {
    schema: buildCommerceSchema(),
    createContext: createCommerceContext,
    // No caller unless a test names one, as in the all-in-one demo; narrowing tests pass their own.
    defaultCaller: null,
  });
}

/** The simulator and the commerce subgraph's real HTTP service, checking identities with `subgraphSecret`. */
export function startCommerceOverHttp(subgraphSecret: string): Promise<SubgraphOverHttp<RunningSimulator, CommerceHttpConnector>> {
  return startSubgraphOverHttp(commerceBackend, { start: startCommerceSubgraph, subgraphSecret });
}

/** The codes of a result's errors, with their paths, for compact assertions. */
export function errorsOf(result: FormattedExecutionResult<unknown>): ReturnType<typeof errorCodes> {
  return errorCodes(result.errors);
}
