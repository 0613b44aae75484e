import type { Identity } from '@crossdock/auth';
import { ErpHttpConnector } from '@crossdock/connectors';
import type { FallbackCache } from '@crossdock/snapshots';
import { startErpSimulator, type RunningSimulator } from '@crossdock/simulators';
import { startSubgraphHarness, startSubgraphOverHttp, type SimulatedBackend, type SubgraphHarness, type SubgraphOverHttp } from '@crossdock/testkit';
import { createErpContext } from '../src/context';
import { buildErpSchema, startErpSubgraph } from '../src/server';

export { errorCodes } from '@crossdock/testkit';

/** A caller with every scope; the subgraph trusts the gateway to have checked scopes. */
export const TEST_IDENTITY: Identity = { subject: 'erp-test', scopes: ['customers:read', 'pricing:read', 'orders:read'], customerId: null, channel: null };

/** The ERP simulator and a real connector to it. */
export const erpBackend: SimulatedBackend<RunningSimulator, ErpHttpConnector> = {
  startSimulator: startErpSimulator,
  Connector: ErpHttpConnector,
};

/** The ERP simulator, a real connector to it, and the subgraph's schema in process. */
export type ErpHarness = SubgraphHarness<RunningSimulator, ErpHttpConnector>;

/**
 * Starts the simulator on a free port and the subgraph's schema in process; close() stops both.
 * With `snapshots`, contexts answer from that fallback cache while the ERP is down.
 */
export function startErpHarness(snapshots: FallbackCache | null = null): Promise<ErpHarness> {
  return startSubgraphHarness(erpBackend, {
    schema: buildErpSchema(),
    createContext: (erp, identity) => createErpContext(erp, identity, { snapshots }),
    defaultCaller: TEST_IDENTITY,
  });
}

/** The simulator and the ERP subgraph's real HTTP service, checking identities with `subgraphSecret`. */
export function startErpOverHttp(subgraphSecret: string): Promise<SubgraphOverHttp<RunningSimulator, ErpHttpConnector>> {
  return startSubgraphOverHttp(erpBackend, { start: startErpSubgraph, subgraphSecret });
}
