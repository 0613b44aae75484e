import type { Identity } from '@crossdock/auth';
import { CommerceHttpConnector, ErpHttpConnector, WmsHttpConnector } from '@crossdock/connectors';
import { toIsoUtc } from '@crossdock/model';
import { createLogger, type RunningService } from '@crossdock/service';
import { generateWorld, startCommerceSimulator, startErpSimulator, startWmsSimulator, type RunningSimulator, type WorldOrder } from '@crossdock/simulators';
import { errorCodes } from '@crossdock/testkit';
import type { FormattedExecutionResult } from 'graphql';
import { startCommerceSubgraph } from '../src/server';
import { memoryStores, startCaptureHarness, type CaptureHarness, type CaptureSimulators } from './capture-harness';

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

/** The commerce subgraph in process over the real simulators, with the all-in-one memory stores. */
export type CommerceHarness = CaptureHarness;

/** The real simulators on free ports, real connectors, memory stores, the subgraph in process. */
export function startHarness(): Promise<CommerceHarness> {
  return startCaptureHarness();
}

/** The subgraph's real HTTP service over the simulators, checking identities with `subgraphSecret`. */
export interface CommerceOverHttp {
  /** The commerce platform's simulator. */
  simulator: RunningSimulator;
  sims: CaptureSimulators;
  service: RunningService;
  close(): Promise<void>;
}

/** Starts the simulators and the commerce subgraph's HTTP service (memory stores), all on free loopback ports. */
export async function startCommerceOverHttp(subgraphSecret: string): Promise<CommerceOverHttp> {
  const [erpSim, wmsSim, commerceSim] = await Promise.all([startErpSimulator({ port: 0 }), startWmsSimulator({ port: 0 }), startCommerceSimulator({ port: 0 })]);
  const erp = new ErpHttpConnector({ baseUrl: erpSim.url });
  const wms = new WmsHttpConnector({ baseUrl: wmsSim.url });
  const commerce = new CommerceHttpConnector({ baseUrl: commerceSim.url });
  const stores = await memoryStores();
  const service = await startCommerceSubgraph({
    port: 0,
    host: '127.0.0.1',
    connector: commerce,
    subgraphSecret,
    logger: createLogger('commerce-test', 'silent'),
    orderCapture: { erp, wms, ...stores },
  });
  return {
    simulator: commerceSim,
    sims: { erp: erpSim, wms: wmsSim, commerce: commerceSim },
    service,
    async close() {
      await service.close();
      await Promise.all([erp.close(), wms.close(), commerce.close(), stores.close()]);
      await Promise.all([erpSim.close(), wmsSim.close(), commerceSim.close()]);
    },
  };
}

/** The codes of a result's errors, with their paths, for compact assertions. */
export function errorsOf(result: FormattedExecutionResult<unknown>): ReturnType<typeof errorCodes> {
  return errorCodes(result.errors);
}
