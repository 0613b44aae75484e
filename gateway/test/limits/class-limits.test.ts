import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedis, type BackingService } from '@crossdock/testkit';
import type { ClientClass } from '../../src/limits/client-class';
import { limitsPolicyFrom } from '../../src/limits/limits-policy';
import { startLimitsGateway, type Answer, type LimitsGateway } from '../support/limits-gateway';

/** Small, distinct limits per class, so each probe breaks exactly one of them. */
const LIMITS = {
  internal: { maxDepth: 8, maxAliases: 12, maxDirectives: 10, maxTokens: 400, maxCost: 300, maxBodyBytes: 8_000, rateLimit: null },
  portal: { maxDepth: 4, maxAliases: 3, maxDirectives: 2, maxTokens: 60, maxCost: 40, maxBodyBytes: 1_500, rateLimit: { requests: 2, windowSeconds: 4 } },
  partner: { maxDepth: 6, maxAliases: 5, maxDirectives: 4, maxTokens: 120, maxCost: 80, maxBodyBytes: 3_000, rateLimit: null },
} as const;

/** Operations measuring exactly `n` on one axis and small on every other. */
const probes = {
  maxDepth: (n: number) => `{ node { ${'child { '.repeat(n - 2)}id${' }'.repeat(n - 2)} } }`,
  maxAliases: (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: word`).join(' ')} }`,
  maxDirectives: (n: number) => `{ ${'word @include(if: true) '.repeat(n)}}`,
  maxTokens: (n: number) => `{ ${'word '.repeat(n - 2)}}`,
  // nodes(first: n) is a list of n objects of weight 1.
  maxCost: (n: number) => `{ nodes(first: ${n}) { id } }`,
};

/** A body of exactly `bytes` bytes: a tiny query padded with spaces. */
function bodyOf(bytes: number): string {
  const empty = JSON.stringify({ query: '{ word }' });
  return JSON.stringify({ query: `{ word }${' '.repeat(bytes - empty.length)}` });
}

const refusals = {
  maxDepth: { code: 'QUERY_TOO_DEEP', value: 'depth' },
  maxAliases: { code: 'TOO_MANY_ALIASES', value: 'aliases' },
  maxDirectives: { code: 'TOO_MANY_DIRECTIVES', value: 'directives' },
  maxTokens: { code: 'TOO_MANY_TOKENS', value: null },
  maxCost: { code: 'QUERY_TOO_COMPLEX', value: 'cost' },
} as const;

const CLASSES: ClientClass[] = ['internal', 'portal', 'partner'];

let redis: BackingService | undefined;
let gateway: LimitsGateway;

beforeAll(async () => {
  redis = await startRedis();
  // A generous Redis timeout: on a loaded test machine a slow answer must not turn into fail-open.
  gateway = await startLimitsGateway({ limits: limitsPolicyFrom({ classes: LIMITS }), redisUrl: redis.url, rateLimitTimeoutMs: 5_000 });
});
afterAll(async () => {
  await gateway?.close();
  await redis?.stop();
});

const errorOf = (answer: Answer) => answer.body.errors?.[0];

describe.each(CLASSES)('limits of %s clients', (clientClass) => {
  const limits = LIMITS[clientClass];

  it.each(Object.keys(probes) as (keyof typeof probes)[])('%s: runs an operation at the limit and refuses one just over it, before planning', async (limit) => {
    const bound = limits[limit];
    const atBound = await gateway.ask({ query: probes[limit](bound) }, { clientClass });
    expect(atBound.body.errors).toBeUndefined();
    expect(atBound.status).toBe(200);

    const over = await gateway.ask({ query: probes[limit](bound + 1) }, { clientClass });
    expect(over.status).toBe(400);
    const { code, value } = refusals[limit];
    expect(errorOf(over)?.extensions?.code).toBe(code);
    expect(errorOf(over)?.message).toContain(String(bound));
    if (value) expect(errorOf(over)?.extensions).toMatchObject({ [value]: bound + 1, [limit]: bound });
    expect(over.body.data).toBeUndefined();
  });

  it('maxBodyBytes: reads a body at the limit and answers 413 PAYLOAD_TOO_LARGE just over it', async () => {
    expect((await gateway.ask(bodyOf(limits.maxBodyBytes), { clientClass })).status).toBe(200);
    const over = await gateway.ask(bodyOf(limits.maxBodyBytes + 1), { clientClass });
    expect(over.status).toBe(413);
    expect(errorOf(over)?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('introspection and schema hints', () => {
  it('answers introspection for internal clients only', async () => {
    const query = '{ __schema { queryType { name } } }';
    expect((await gateway.ask({ query }, { clientClass: 'internal' })).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    for (const clientClass of ['portal', 'partner'] as const) {
      for (const probe of [query, '{ __type(name: "Node") { name } }', '{ word ...F } fragment F on Query { __schema { types { name } } }']) {
        const refused = await gateway.ask({ query: probe }, { clientClass });
        expect(refused.status).toBe(403);
        expect(errorOf(refused)).toMatchObject({ message: `introspection is not allowed for ${clientClass} clients`, extensions: { code: 'INTROSPECTION_DISABLED' } });
      }
      expect((await gateway.ask({ query: '{ __typename word }' }, { clientClass })).body).toEqual({ data: { __typename: 'Query', word: 'w' } });
    }
  });

  it('follows an explicit client_class claim over the claims it would be derived from', async () => {
    const asInternal = await gateway.ask({ query: '{ __schema { queryType { name } } }' }, { clientClass: 'portal', claimClass: 'internal' });
    expect(asInternal.status).toBe(200);
    const asPartner = await gateway.ask({ query: probes.maxDepth(7) }, { clientClass: 'internal', claimClass: 'partner' });
    expect(errorOf(asPartner)?.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('strips "Did you mean" suggestions for portals and partners', async () => {
    const query = '{ nod { id } }';
    expect(errorOf(await gateway.ask({ query }, { clientClass: 'internal' }))?.message).toMatch(/^Cannot query field "nod" on type "Query". Did you mean "node"/);
    for (const clientClass of ['portal', 'partner'] as const) {
      const answer = await gateway.ask({ query }, { clientClass });
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ message: 'Cannot query field "nod" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    }
  });

  it('never sends a stack trace outside development, not even one a subgraph sent', async () => {
    const failed = await gateway.ask({ query: '{ boom word }' });
    expect(failed.body.data).toEqual({ boom: null, word: 'w' });
    expect(errorOf(failed)?.message).toMatch(/boom/);
    const syntax = await gateway.ask({ query: '{ word' });
    for (const answer of [failed, syntax]) expect(JSON.stringify(answer.body)).not.toMatch(/stacktrace|exception|\.ts:\d+/);
  });
});

describe('rate limits', () => {
  it('answers 429 RATE_LIMITED with retryAfter once a subject spends its burst, and serves it again later', async () => {
    const subject = `portal-${randomUUID()}`;
    const ask = () => gateway.ask({ query: '{ word }' }, { clientClass: 'portal', subject });
    // Sent together, so they meet the bucket well within one refill interval (2 s) however busy the machine.
    const answers = await Promise.all(Array.from({ length: 5 }, ask));
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    const limited = answers.find((a) => a.status === 429);
    if (!limited) throw new Error(`no request of five was limited: ${answers.map((a) => a.status).join()}`);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect([1, 2]).toContain(retryAfter);
    expect(errorOf(limited)).toEqual({
      message: `rate limit exceeded: 2 requests per 4 s for portal clients; retry in ${retryAfter} s`,
      extensions: { code: 'RATE_LIMITED', retryAfter },
    });
    // Another subject of the same class has its own bucket.
    expect((await gateway.ask({ query: '{ word }' }, { clientClass: 'portal' })).status).toBe(200);
    // Recovery after the window: poll (bounded) rather than assume how fast time passes here.
    let next = await ask();
    for (let attempt = 0; attempt < 100 && next.status === 429; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      next = await ask();
    }
    expect(next.status).toBe(200);
    expect(next.body).toEqual({ data: { word: 'w' } });
  });

  it('refuses an unauthenticated request with 401 before anything else', async () => {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodyOf(100_000) });
    expect(response.status).toBe(401);
    expect(((await response.json()) as Answer['body']).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
