import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot, startHubStack, type HubStack } from '@crossdock/testkit';
import { cheapSkus, eventually, freshKey, goodCustomer, place } from './support/order-capture-kit';

const WEB_RULES = {
  channel: 'web',
  perLocation: true,
  sharePercent: 60,
  bufferUnits: 2,
  rateLimit: { requestsPerSecond: 100, burst: 50 },
  connector: { kind: 'shopify', urlEnv: 'COMMERCE_BACKEND_URL', locations: { 'WH-EAST': 1001, 'WH-CENTRAL': 1002, 'WH-SOUTH': 1003, 'WH-WEST': 1004 } },
};
const MARKET_RULES = { channel: 'marketplace', sharePercent: 40, maxListed: 1000, rateLimit: { requestsPerSecond: 100, burst: 50 }, connector: { kind: 'marketplace', urlEnv: 'COMMERCE_BACKEND_URL', name: 'tradewind-market' } };
const LOCATION_OF: Record<number, string> = { 1001: 'WH-EAST', 1002: 'WH-CENTRAL', 1003: 'WH-SOUTH', 1004: 'WH-WEST' };

interface Row {
  channel: string;
  warehouse: { id: string } | null;
  quantity: number;
  acknowledged: number | null;
  drifting: boolean;
}
const ROWS = /* GraphQL */ 'query($sku: ID!, $channel: String!) { product(sku: $sku) { availableToSell(channel: $channel) { channel warehouse { id } quantity acknowledged drifting } } }';

describe('available-to-sell in the running hub (real processes, Redis, FerretDB)', () => {
  let hub: HubStack;
  let rulesDir: string;
  const sku = cheapSkus()[20]!;

  beforeAll(async () => {
    rulesDir = mkdtempSync(join(tmpdir(), 'crossdock-availability-'));
    writeFileSync(join(rulesDir, 'web.json'), JSON.stringify(WEB_RULES));
    writeFileSync(join(rulesDir, 'marketplace.json'), JSON.stringify(MARKET_RULES));
    hub = await startHubStack({ serviceEnv: { wms: { AVAILABILITY_RULES_DIR: rulesDir, AVAILABILITY_PARTNERS_DIR: join(repoRoot(), 'config', 'partners'), AVAILABILITY_COALESCE_MS: '100' } } });
  }, 180_000);
  afterAll(async () => {
    await hub?.stop();
    rmSync(rulesDir, { recursive: true, force: true });
  });

  const rows = async (channel: string, token?: string): Promise<Row[]> => {
    const { body } = await hub.query<{ product: { availableToSell: Row[] } }>(ROWS, { sku, channel }, token);
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data.product.availableToSell;
  };
  /** What the store and the marketplace were told about the SKU, keyed like the graph's rows. */
  const told = async () => {
    const view = (await (await fetch(`${hub.simulatorUrls.commerce}/_admin/channel-inventory`)).json()) as {
      levels: { sku: string; location_id: number; available: number }[];
      marketplaces: Record<string, { sku: string; quantity: number }[]>;
    }; // the simulator's documented admin shape
    const web = Object.fromEntries(view.levels.filter((l) => l.sku === sku).map((l) => [LOCATION_OF[l.location_id], l.available]));
    const marketplace = view.marketplaces['tradewind-market']?.find((l) => l.sku === sku)?.quantity ?? null;
    return { web, marketplace };
  };
  const current = async () => {
    const [web, market] = await Promise.all([rows('web'), rows('marketplace')]);
    return { web: Object.fromEntries(web.map((r) => [r.warehouse?.id, r.quantity])), marketplace: market[0]?.quantity ?? null };
  };
  const inStep = () =>
    eventually('the channels to show the graph figures', async () => {
      const [now, shown] = await Promise.all([current(), told()]);
      return JSON.stringify(Object.entries(now.web).sort()) === JSON.stringify(Object.entries(shown.web).sort()) && now.marketplace === shown.marketplace ? now : null;
    });

  it('pushes a WMS receipt and an order reservation to every channel, and the graph shows figure, acknowledgement and drift', async () => {
    const adjust = await fetch(`${hub.simulatorUrls.wms}/_admin/adjust`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku, warehouseId: 'WH-EAST', delta: 25 }) });
    expect(adjust.status).toBe(200);
    const afterReceipt = await inStep();
    const writer = await hub.token({ scopes: ['orders:write', 'orders:read', 'inventory:read', 'pricing:read', 'customers:read'] });
    const placed = await place(hub.query, writer, { idempotencyKey: freshKey('ats'), channel: 'web', customerId: goodCustomer(), lines: [{ sku, quantity: 10 }] });
    expect(placed.errors).toEqual([]);
    const afterOrder = await eventually('the reservation to lower the figures', async () => {
      const now = await inStep();
      return now.marketplace !== afterReceipt.marketplace ? now : null;
    });
    expect(afterOrder.marketplace).toBeLessThan(afterReceipt.marketplace ?? 0);
    const web = await rows('web');
    expect(web.every((r) => r.acknowledged === r.quantity && !r.drifting)).toBe(true);
  });

  it('shows a channel token only its own channel', async () => {
    const store = await hub.token({ scopes: ['inventory:read'], channel: 'web' });
    expect((await rows('web', store)).length).toBe(4);
    expect(await rows('marketplace', store)).toEqual([]);
  });

  it('lets operators start a resync, and nobody else', async () => {
    const mutation = /* GraphQL */ 'mutation($channel: String!) { resyncChannelAvailability(channel: $channel) { channel runId skus done requestedBy } }';
    const reader = await hub.token({ scopes: ['inventory:read'] });
    const refused = await hub.query(mutation, { channel: 'marketplace' }, reader);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const operator = await hub.token({ scopes: ['ops:admin', 'inventory:read'] });
    const started = await hub.query<{ resyncChannelAvailability: { channel: string; skus: number; requestedBy: string } }>(mutation, { channel: 'marketplace' }, operator);
    expect(started.body.errors).toBeUndefined();
    expect(started.body.data?.resyncChannelAvailability).toMatchObject({ channel: 'marketplace', requestedBy: 'test-client' });
    expect(started.body.data?.resyncChannelAvailability.skus).toBeGreaterThan(0);
  });
});
