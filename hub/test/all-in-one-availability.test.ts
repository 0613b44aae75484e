import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { signDevToken } from '@crossdock/auth';
import { freePort } from '@crossdock/testkit';
import { startHub, type RunningHub } from '../src/all-in-one';
import { readHubConfig, type HubConfig } from '../src/config';

jest.setTimeout(120_000);

const SKU = 'SKU-00088';
const ROWS = /* GraphQL */ 'query($sku: ID!, $channel: String!) { product(sku: $sku) { availableToSell(channel: $channel) { warehouse { id } quantity acknowledged } } }';
interface Row {
  warehouse: { id: string } | null;
  quantity: number;
  acknowledged: number | null;
}

/**
 * `npm start` as it runs on a bare machine: one process, in-process Redis and MongoDB
 * substitutes, the repository's config/availability rules. The feeds run there exactly as in the
 * WMS subgraph's own main.
 */
describe('all-in-one runs the available-to-sell feeds', () => {
  let config: HubConfig;
  let hub: RunningHub;
  let token: string;

  beforeAll(async () => {
    const names = ['PORT', 'ERP_PORT', 'WMS_PORT', 'COMMERCE_PORT', 'SHIPPING_PORT', 'SIM_ERP_PORT', 'SIM_WMS_PORT', 'SIM_COMMERCE_PORT', 'SIM_SHIPPING_PORT'];
    const ports: Record<string, string> = {};
    for (const name of names) ports[name] = String(await freePort());
    process.env.LOG_LEVEL ??= 'warn';
    config = readHubConfig({ ...ports, SIM_LATENCY_MS: '0' });
    hub = await startHub(config);
    token = await signDevToken({ secret: config.jwtSecret, subject: 'all-in-one-test', scopes: ['inventory:read'] });
  });
  afterAll(async () => {
    await hub?.close();
  });

  const rows = async (channel: string): Promise<Row[]> => {
    const response = await fetch(hub.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: ROWS, variables: { sku: SKU, channel } }) });
    const body = (await response.json()) as { data?: { product: { availableToSell: Row[] } }; errors?: unknown[] };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data.product.availableToSell;
  };
  const listed = async (): Promise<number | undefined> => {
    const view = (await (await fetch(`http://127.0.0.1:${config.simulatorPorts.commerce}/_admin/channel-inventory`)).json()) as { marketplaces: Record<string, { sku: string; quantity: number }[]> }; // the simulator's documented admin shape
    return view.marketplaces['tradewind-market']?.find((l) => l.sku === SKU)?.quantity;
  };
  /** The marketplace's figure in the graph once the marketplace acknowledged exactly it. */
  const acknowledged = async (what: string, differentFrom: number | null = null): Promise<number> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = await rows('marketplace');
      const shown = await listed();
      if (row && row.acknowledged === row.quantity && shown === row.quantity && row.quantity !== differentFrom) return row.quantity;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: graph ${JSON.stringify(row)}, marketplace told ${String(shown)}`);
      await sleep(200);
    }
  };

  it('pushes a WMS receipt to the marketplace, which acknowledges the graph\'s figure', async () => {
    const adjust = async (delta: number) => {
      const response = await fetch(`http://127.0.0.1:${config.simulatorPorts.wms}/_admin/adjust`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku: SKU, warehouseId: 'WH-EAST', delta }) });
      expect(response.status).toBe(200);
    };
    await adjust(40);
    const first = await acknowledged('the receipt to reach the marketplace');
    // config/availability/marketplace.json sells 30 % of WH-EAST and WH-CENTRAL less a unit: 40 more units move it.
    await adjust(-40);
    const second = await acknowledged('the count to reach the marketplace', first);
    expect(second).toBeLessThan(first);
    // The store gets one figure per location, as the WMS subgraph's own main would push it.
    const web = await rows('web');
    expect(web.map((r) => r.warehouse?.id).sort()).toEqual(['WH-CENTRAL', 'WH-EAST', 'WH-SOUTH', 'WH-WEST']);
  });
});
