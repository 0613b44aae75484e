import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IDENTITY_HEADER, signIdentity } from '@crossdock/auth';
import type { RunningService } from '@crossdock/service';
import { setSimulatorFault } from '@crossdock/testkit';
import type { RunningSimulator } from '@crossdock/simulators';
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

  it('places an order for a signed identity with orders:write, and refuses one without it', async () => {
    const query = 'mutation { placeOrder(input: { idempotencyKey: "http-1", channel: "web", customerId: "CUST-0004", lines: [{ sku: "SKU-00002", quantity: 1 }] }) { order { id status } errors { code } } }';
    const writer = { [IDENTITY_HEADER]: signIdentity(identity({ scopes: ['orders:write'] }), SECRET) };
    const placed = await post(service.url, writer, query);
    expect(placed).toEqual({ status: 200, body: { data: { placeOrder: { order: { id: expect.stringMatching(/^ORD-H/), status: 'ACCEPTED' }, errors: [] } } } });
    const reader = { [IDENTITY_HEADER]: signIdentity(identity(), SECRET) };
    const refused = await post(service.url, reader, query);
    expect(refused.body).toMatchObject({ data: null, errors: [{ path: ['placeOrder'], extensions: { code: 'FORBIDDEN' } }] });
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
