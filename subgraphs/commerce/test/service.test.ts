import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IDENTITY_HEADER, signIdentity } from '@crossdock/auth';
import type { RunningService } from '@crossdock/service';
import { setSimulatorFault, startServiceProcess } from '@crossdock/testkit';
import { startCommerceSimulator, type RunningSimulator } from '@crossdock/simulators';
import { identity, startCommerceOverHttp, worldOrder } from './harness';

const SECRET = 'commerce-test-subgraph-secret-0123456789';

async function post(url: string, headers: Record<string, string>, query: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

describe('commerce subgraph over HTTP', () => {
  let simulator: RunningSimulator;
  let service: RunningService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ simulator, service, close } = await startCommerceOverHttp(SECRET));
  });
  afterAll(() => close());

  it('refuses a request without the gateway identity header with 401', async () => {
    const { status, body } = await post(service.url, {}, '{ order(id: "ORD-000001") { id } }');
    expect(status).toBe(401);
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('refuses a header signed with another key with 401', async () => {
    const forged = signIdentity(identity(), 'not-the-subgraph-secret-at-all');
    const { status } = await post(service.url, { [IDENTITY_HEADER]: forged }, '{ order(id: "ORD-000001") { id } }');
    expect(status).toBe(401);
  });

  it('answers the gateway, narrowed to the identity it signed', async () => {
    const order = worldOrder('ORD-000001');
    const query = '{ order(id: "ORD-000001") { id channel } }';
    const signed = (customerId: string) => ({ [IDENTITY_HEADER]: signIdentity(identity({ customerId }), SECRET) });
    const own = await post(service.url, signed(order.customerId), query);
    expect(own).toEqual({ status: 200, body: { data: { order: { id: order.id, channel: order.channel } } } });
    const other = await post(service.url, signed('CUST-NOPE'), query);
    expect(other).toEqual({ status: 200, body: { data: { order: null } } });
  });

  it('is ready while the platform answers, and not ready when it is down', async () => {
    expect((await fetch(`${service.url}/ready`)).status).toBe(200);
    await setSimulatorFault(simulator.url, { mode: 'down' });
    try {
      const ready = await fetch(`${service.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { commerce: expect.stringContaining('down') } });
    } finally {
      await setSimulatorFault(simulator.url, { mode: 'none' });
    }
  });
});

describe('npm run start:commerce', () => {
  it('refuses to start alone without HUB_SUBGRAPH_SECRET', async () => {
    const start = startServiceProcess({
      name: 'commerce',
      entry: 'subgraphs/commerce/src/index.ts',
      env: { COMMERCE_PORT: '0', HUB_SUBGRAPH_SECRET: undefined },
    });
    await expect(start).rejects.toThrow(/HUB_SUBGRAPH_SECRET/);
  });

  it('starts against the simulator and reports its port', async () => {
    const simulator = await startCommerceSimulator({ port: 0 });
    const service = await startServiceProcess({
      name: 'commerce',
      entry: 'subgraphs/commerce/src/index.ts',
      env: { COMMERCE_PORT: '0', COMMERCE_BACKEND_URL: simulator.url, HUB_SUBGRAPH_SECRET: SECRET, LOG_LEVEL: 'warn' },
    });
    try {
      const { status, body } = await post(service.url, { [IDENTITY_HEADER]: signIdentity(identity(), SECRET) }, '{ order(id: "ORD-000002") { id } }');
      expect({ status, body }).toEqual({ status: 200, body: { data: { order: { id: 'ORD-000002' } } } });
    } finally {
      await service.stop();
      await simulator.close();
    }
  });
});
