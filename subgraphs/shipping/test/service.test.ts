import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IDENTITY_HEADER, signIdentity } from '@crossdock/auth';
import type { RunningService } from '@crossdock/service';
import { setSimulatorFault, startFerretDb, startRedis, startServiceProcess } from '@crossdock/testkit';
import { startShippingSimulator, type RunningSimulator } from '@crossdock/simulators';
import { identity, startShippingOverHttp, world } from './harness';

const shipment = world.shipments[0];
const QUERY = `{ shipment(id: "${shipment?.id ?? ''}") { id trackingNumber } }`;

const SECRET = 'shipping-test-subgraph-secret-0123456789';

async function post(url: string, headers: Record<string, string>, query: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

describe('shipping subgraph over HTTP', () => {
  let simulator: RunningSimulator;
  let service: RunningService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ simulator, service, close } = await startShippingOverHttp(SECRET));
  });
  afterAll(() => close());

  it('refuses a request without the gateway identity header with 401', async () => {
    const { status, body } = await post(service.url, {}, QUERY);
    expect(status).toBe(401);
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('refuses a header signed with another key with 401', async () => {
    const forged = signIdentity(identity(), 'not-the-subgraph-secret-at-all');
    const { status } = await post(service.url, { [IDENTITY_HEADER]: forged }, QUERY);
    expect(status).toBe(401);
  });

  it('answers the gateway', async () => {
    const signed = { [IDENTITY_HEADER]: signIdentity(identity(), SECRET) };
    expect(await post(service.url, signed, QUERY)).toEqual({
      status: 200,
      body: { data: { shipment: { id: shipment?.id, trackingNumber: shipment?.trackingNumber } } },
    });
  });

  it('is ready while the carrier answers, and not ready when it is down', async () => {
    expect((await fetch(`${service.url}/ready`)).status).toBe(200);
    await setSimulatorFault(simulator.url, { mode: 'down' });
    try {
      const ready = await fetch(`${service.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { carrier: expect.stringContaining('down') } });
    } finally {
      await setSimulatorFault(simulator.url, { mode: 'none' });
    }
  });
});

describe('npm run start:shipping', () => {
  it('refuses to start alone without HUB_SUBGRAPH_SECRET', async () => {
    const start = startServiceProcess({
      name: 'shipping',
      entry: 'subgraphs/shipping/src/index.ts',
      env: { SHIPPING_PORT: '0', HUB_SUBGRAPH_SECRET: undefined },
    });
    await expect(start).rejects.toThrow(/HUB_SUBGRAPH_SECRET/);
  });

  it('refuses to start alone without MONGO_URL, where its fallback cache lives', async () => {
    const start = startServiceProcess({
      name: 'shipping',
      entry: 'subgraphs/shipping/src/index.ts',
      env: { SHIPPING_PORT: '0', HUB_SUBGRAPH_SECRET: SECRET, MONGO_URL: undefined },
    });
    await expect(start).rejects.toThrow(/MONGO_URL: is required/);
  });

  it('starts against the simulator and reports its port', async () => {
    // MongoDB keeps the fallback cache and refused notices; Redis the shipment events.
    const [simulator, mongo, redis] = await Promise.all([startShippingSimulator({ port: 0 }), startFerretDb(), startRedis()]);
    const service = await startServiceProcess({
      name: 'shipping',
      entry: 'subgraphs/shipping/src/index.ts',
      env: { SHIPPING_PORT: '0', SHIPPING_BACKEND_URL: simulator.url, HUB_SUBGRAPH_SECRET: SECRET, MONGO_URL: mongo.url, REDIS_URL: redis.url, LOG_LEVEL: 'warn' },
    });
    try {
      const { status, body } = await post(service.url, { [IDENTITY_HEADER]: signIdentity(identity(), SECRET) }, QUERY);
      expect({ status, body }).toEqual({ status: 200, body: { data: { shipment: { id: shipment?.id, trackingNumber: shipment?.trackingNumber } } } });
      expect(await (await fetch(`${service.url}/ready`)).json()).toMatchObject({ status: 'ready', checks: { carrier: 'up', snapshots: 'up' } });
    } finally {
      await service.stop();
      await Promise.all([simulator.close(), mongo.stop(), redis.stop()]);
    }
  });
});
