import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signIdentity } from '@crossdock/auth';
import type { RunningService } from '@crossdock/service';
import { generateWorld, type RunningSimulator } from '@crossdock/simulators';
import { setSimulatorFault } from '@crossdock/testkit';
import { TEST_IDENTITY, startErpOverHttp } from './harness';

const SECRET = 'erp-subgraph-test-secret-0123456789';
const world = generateWorld();

let simulator: RunningSimulator;
let service: RunningService;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ simulator, service, close } = await startErpOverHttp(SECRET));
});
afterAll(() => close());

function post(query: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${service.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
}

describe('the ERP subgraph over HTTP', () => {
  it('refuses a request that does not come from the gateway with 401', async () => {
    const response = await post('{ customer(id: "CUST-0001") { name } }');
    expect(response.status).toBe(401);
    const body: unknown = await response.json();
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('refuses an identity signed with another key', async () => {
    const response = await post('{ customer(id: "CUST-0001") { name } }', {
      'x-crossdock-identity': signIdentity(TEST_IDENTITY, 'some-other-secret-0123456789'),
    });
    expect(response.status).toBe(401);
  });

  it('answers a request carrying the gateway-signed identity', async () => {
    const response = await post('{ customer(id: "CUST-0001") { name } }', { 'x-crossdock-identity': signIdentity(TEST_IDENTITY, SECRET) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { customer: { name: world.customers[0]!.name } } });
  });

  it('is ready while the ERP answers, and says so when it does not', async () => {
    expect((await fetch(`${service.url}/ready`)).status).toBe(200);
    await setSimulatorFault(simulator.url, { mode: 'down' });
    try {
      const ready = await fetch(`${service.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { erp: expect.stringMatching(/^down/) } });
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
    } finally {
      await setSimulatorFault(simulator.url, { mode: 'none' });
    }
  });
});
