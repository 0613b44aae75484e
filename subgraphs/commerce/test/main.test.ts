import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IDENTITY_HEADER, signIdentity } from '@crossdock/auth';
import { WmsHttpConnector } from '@crossdock/connectors';
import { MongoOrderStore, type PlacedOrder } from '@crossdock/orders';
import { startCommerceSimulator, startErpSimulator, startWmsSimulator, type RunningSimulator } from '@crossdock/simulators';
import { startFerretDb, startRedis, startServiceProcess, type BackingService, type ServiceProcess } from '@crossdock/testkit';
import { erpPostings, eventually, GOOD_CUSTOMER, newKey, sellableSku, writer } from './capture-fixtures';

const SECRET = 'commerce-test-subgraph-secret-0123456789';
const ENTRY = 'subgraphs/commerce/src/index.ts';

const PLACE = /* GraphQL */ `
  mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } errors { code field } } }
`;

/** POSTs an operation as the gateway would, with a signed identity that may write orders. */
async function post(url: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(writer(), SECRET) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

function dead(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe('npm run start:commerce', () => {
  let redis: BackingService;
  let ferret: BackingService;
  let sims: { erp: RunningSimulator; wms: RunningSimulator; commerce: RunningSimulator };
  const running: ServiceProcess[] = [];
  const env = (extra: Record<string, string | undefined> = {}) => ({
    COMMERCE_PORT: '0',
    COMMERCE_BACKEND_URL: sims.commerce.url,
    ERP_BACKEND_URL: sims.erp.url,
    WMS_BACKEND_URL: sims.wms.url,
    HUB_SUBGRAPH_SECRET: SECRET,
    REDIS_URL: redis.url,
    MONGO_URL: ferret.url.replace(/\/crossdock$/, '/commerce_main_test'),
    OUTBOX_BASE_DELAY_MS: '50',
    OUTBOX_MAX_DELAY_MS: '200',
    LOG_LEVEL: 'warn',
    ...extra,
  });
  const start = async (extra: Record<string, string | undefined> = {}) => {
    const service = await startServiceProcess({ name: 'commerce', entry: ENTRY, env: env(extra) });
    running.push(service);
    return service;
  };

  beforeAll(async () => {
    [redis, ferret] = await Promise.all([startRedis(), startFerretDb()]);
    const [erp, wms, commerce] = await Promise.all([startErpSimulator({ port: 0 }), startWmsSimulator({ port: 0 }), startCommerceSimulator({ port: 0 })]);
    sims = { erp, wms, commerce };
  });
  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await Promise.all([sims.erp.close(), sims.wms.close(), sims.commerce.close()]);
    await Promise.all([redis.stop(), ferret.stop()]);
  });

  it('refuses to start alone without its secret, Redis and MongoDB, naming each variable', async () => {
    const refused = startServiceProcess({ name: 'commerce', entry: ENTRY, env: { COMMERCE_PORT: '0', HUB_SUBGRAPH_SECRET: undefined, REDIS_URL: undefined, MONGO_URL: undefined } });
    await expect(refused).rejects.toThrow(/HUB_SUBGRAPH_SECRET: is required[\s\S]*REDIS_URL: is required[\s\S]*MONGO_URL: is required/);
  });

  it('refuses bad policy values with one line each', async () => {
    const refused = startServiceProcess({ name: 'commerce', entry: ENTRY, env: env({ ALLOCATION_RULE: 'nearest', OUTBOX_MAX_DELAY_MS: '10', REDIS_URL: 'http://x' }) });
    await expect(refused).rejects.toThrow(/REDIS_URL: must be a redis[\s\S]*ALLOCATION_RULE: must be single-warehouse-first or priority-split/);
    await expect(startServiceProcess({ name: 'commerce', entry: ENTRY, env: env({ OUTBOX_MAX_DELAY_MS: '10' }) })).rejects.toThrow(/OUTBOX_MAX_DELAY_MS: must be at least OUTBOX_BASE_DELAY_MS/);
  });

  it('survives a crash right after storing an order: the restarted service posts it exactly once', async () => {
    const idempotencyKey = newKey();
    const input = { idempotencyKey, channel: 'web', customerId: GOOD_CUSTOMER, lines: [{ sku: sellableSku(60), quantity: 2 }] };
    const doomed = await start({ CROSSDOCK_CRASH_AFTER_OUTBOX_WRITE: '1' });
    await expect(post(doomed.url, PLACE, { input })).rejects.toThrow();
    await eventually(async () => (dead(doomed.pid) ? true : null));
    const orderId = /exiting after storing (ORD-H\w+)/.exec(doomed.stderr())?.[1];
    expect(orderId).toMatch(/^ORD-H/);

    const store = await MongoOrderStore.connect(env().MONGO_URL);
    try {
      const [crashed] = await store.get([orderId!]);
      expect(crashed).toMatchObject({ status: 'ACCEPTED', idempotencyKey: `web:${idempotencyKey}` });
      expect(Object.values(crashed!.postings).map((p) => [p.state, p.attempts])).toEqual([['QUEUED', 0], ['QUEUED', 0], ['QUEUED', 0]]);

      const revived = await start();
      const delivered = await eventually(async () => {
        const [order] = await store.get([orderId!]);
        return order && Object.values(order.postings).every((p) => p.state === 'POSTED') ? order : null;
      });
      expect(await erpPostings(sims.erp, orderId!)).toEqual({ requests: 1, salesOrderNos: [delivered.postings.erp.reference] });
      const wms = new WmsHttpConnector({ baseUrl: sims.wms.url });
      expect((await wms.fulfillmentsByOrderIds([orderId!]))[0]).toMatchObject({ status: 'ALLOCATED', allocations: delivered.allocations });
      await wms.close();
      // The channel's retry gets the order that was stored before the crash.
      expect(await post(revived.url, PLACE, { input })).toEqual({ data: { placeOrder: { order: { id: orderId, status: 'ACCEPTED' }, errors: [] } } });
      expect(reservedTotal(delivered)).toBe(2);
    } finally {
      await store.close();
    }
  });
});

function reservedTotal(order: PlacedOrder): number {
  return order.allocations.reduce((sum, a) => sum + a.quantity, 0);
}
