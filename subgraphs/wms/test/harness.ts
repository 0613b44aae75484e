import type { Identity } from '@crossdock/auth';
import { WmsHttpConnector, type WmsConnector } from '@crossdock/connectors';
import { startWmsSimulator, type RunningSimulator } from '@crossdock/simulators';
import { startSubgraphHarness, startSubgraphOverHttp, type SimulatedBackend, type SubgraphHarness, type SubgraphOverHttp } from '@crossdock/testkit';
import { createWmsContext, type WmsStores } from '../src/context';
import { buildWmsSchema, startWmsSubgraph } from '../src/server';

export { errorCodes } from '@crossdock/testkit';

/** A caller with every scope; the subgraph trusts the gateway to have checked scopes. */
export const TEST_IDENTITY: Identity = { subject: 'wms-test', scopes: ['inventory:read', 'orders:read'], customerId: null, channel: null };

/** The WMS simulator and a real connector to it. */
const wmsBackend: SimulatedBackend<RunningSimulator, WmsHttpConnector> = {
  startSimulator: startWmsSimulator,
  Connector: WmsHttpConnector,
};

/** The WMS simulator, a real connector to it, and the subgraph's schema in process. */
export type WmsHarness = SubgraphHarness<RunningSimulator, WmsHttpConnector>;

/**
 * Starts the simulator on a free port and the subgraph's schema in process; close() stops both.
 * `stores` are what the subgraph reads besides the WMS (pending reservations, the fallback cache).
 * `connectorSeenBy` gives the subgraph another view of the real connector, e.g. one that records
 * or holds its calls.
 */
export function startWmsHarness(stores: WmsStores = {}, connectorSeenBy: (wms: WmsHttpConnector) => WmsConnector = (wms) => wms): Promise<WmsHarness> {
  return startSubgraphHarness(wmsBackend, {
    schema: buildWmsSchema(),
    createContext: (wms, identity) => createWmsContext(connectorSeenBy(wms), identity, stores),
    defaultCaller: TEST_IDENTITY,
  });
}

/** The simulator and the WMS subgraph's real HTTP service, checking identities with `subgraphSecret`. */
export function startWmsOverHttp(subgraphSecret: string): Promise<SubgraphOverHttp<RunningSimulator, WmsHttpConnector>> {
  return startSubgraphOverHttp(wmsBackend, { start: startWmsSubgraph, subgraphSecret });
}
