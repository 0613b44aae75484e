import { randomUUID, createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@crossdock/auth';
import { READ_SCOPES, startHubStack, startServiceProcess, type GraphQLBody, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/** A partner integration's one registered operation (Apollo persisted-query manifest format). */
const PARTNER_ORDERS = 'query PartnerOrders { orders(first: 5) { edges { node { id channel status } } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Limits as an operator would write them: a short portal window (so the test can wait it out) and trusted-only partners. */
function writeGatewayFiles(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-gateway-limits-'));
  const limits = join(dir, 'limits.json');
  const documents = join(dir, 'trusted-documents.json');
  writeFileSync(limits, JSON.stringify({ classes: { portal: { rateLimit: { requests: 3, windowSeconds: 9 } }, partner: { trustedOnly: true } } }));
  writeFileSync(
    documents,
    JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256(PARTNER_ORDERS), name: 'PartnerOrders', type: 'query', body: PARTNER_ORDERS }] }),
  );
  // A generous Redis timeout: on a loaded test machine a slow answer must not turn into fail-open.
  return { GATEWAY_LIMITS_PATH: limits, TRUSTED_DOCUMENTS_PATH: documents, RATE_LIMIT_TIMEOUT_MS: '5000' };
}

describe('gateway limits and trusted documents (real processes, real Redis)', () => {
  let hub: HubStack;

  beforeAll(async () => {
    hub = await startHubStack({ serviceEnv: { gateway: writeGatewayFiles() } });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  /** A token of its own subject, so this test's rate-limit buckets are its own. */
  const tokenOf = (claims: { customerId?: string; channel?: string }) =>
    signDevToken({ secret: hub.jwtSecret, subject: `limits-${randomUUID()}`, scopes: READ_SCOPES, ...claims });

  const post = async (body: Record<string, unknown>, token: string) => {
    const response = await fetch(`${hub.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as GraphQLBody<unknown> };
  };

  it('rate-limits a portal subject in Redis with 429 and retryAfter, and serves it again after the window', async () => {
    const portal = await tokenOf({ customerId: 'CUST-0001' });
    const ask = () => post({ query: '{ warehouses { id } }' }, portal);
    // Sent together, so they meet the bucket well within one refill interval (3 s) however busy the machine.
    const answers = await Promise.all(Array.from({ length: 6 }, ask));
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(3);
    const limited = answers.find((a) => a.status === 429);
    if (!limited) throw new Error(`no request of six was limited: ${answers.map((a) => a.status).join()}`);
    const retryAfter = Number(limited.retryAfter);
    expect([1, 2, 3]).toContain(retryAfter);
    expect(limited.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter });
    let next = limited;
    for (let attempt = 0; attempt < 100 && next.status === 429; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      next = await ask();
    }
    expect(next.status).toBe(200);
    expect(next.body.errors).toBeUndefined();
  });

  it('refuses a list-nested query above the cost limit before planning, with its cost and the limit', async () => {
    const internal = await tokenOf({});
    const nested = (first: number) => `{ orders(first: ${first}) { edges { node { lines { product { inventory { warehouse { name } } } } } } } }`;
    const refused = await post({ query: nested(100) }, internal);
    expect(refused.status).toBe(400);
    // orders 1 + 100 × (edge 1 + order 1 + 10 lines × (line 1 + product 1 + 10 positions × (1 + warehouse 1)))
    expect(refused.body.errors?.[0]).toEqual({
      message: 'query cost 22201 exceeds the limit of 20000 for internal clients',
      extensions: { code: 'QUERY_TOO_COMPLEX', cost: 22_201, maxCost: 20_000 },
    });
    const served = await post({ query: nested(2) }, internal);
    expect(served.body.errors).toBeUndefined();
    expect(served.body.data).toMatchObject({ orders: { edges: expect.any(Array) } });
  });

  it('answers introspection to internal clients only', async () => {
    const query = '{ __schema { queryType { name } } }';
    expect((await post({ query }, await tokenOf({}))).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const refused = await post({ query }, await tokenOf({ customerId: 'CUST-0002' }));
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('INTROSPECTION_DISABLED');
  });

  it('runs only registered operations for trusted-only partners, by hash', async () => {
    const partner = await tokenOf({ channel: 'web' });
    const refused = await post({ query: '{ orders(first: 1) { edges { node { id } } } }' }, partner);
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    const served = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(PARTNER_ORDERS) } } }, partner);
    expect(served.body.errors).toBeUndefined();
    const orders = (served.body.data as { orders: { edges: { node: { channel: string } }[] } }).orders.edges;
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((edge) => edge.node.channel === 'web')).toBe(true);
  });
});

describe('the gateway started alone', () => {
  it('refuses to start without REDIS_URL', async () => {
    const started = startServiceProcess({
      name: 'gateway',
      entry: 'gateway/src/index.ts',
      env: { PORT: '0', HUB_JWT_SECRET: 'limits-alone-secret-0123456789', HUB_SUBGRAPH_SECRET: 'limits-alone-subgraph-0123456789', REDIS_URL: undefined },
    });
    await expect(started).rejects.toThrow(/exited before it was ready[\s\S]*REDIS_URL: required/);
  });
});
