import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, afterAll, beforeAll } from '@jest/globals';
import { deduplicatingFetcher } from '../../src/coalescing';
import { createUndiciFetcher } from '../../src/undici-fetcher';

/** A real HTTP subgraph stand-in that holds each request until released and counts them. */
class HeldServer {
  requests: string[] = [];
  private waiting: (() => void)[] = [];
  readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      this.requests.push(`${req.headers['x-crossdock-identity'] ?? '-'} ${body}`);
      this.waiting.push(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { answer: this.requests.length, identity: req.headers['x-crossdock-identity'] ?? null } }));
      });
    });
  });

  async heldCount(count: number): Promise<void> {
    for (let tries = 0; this.waiting.length < count && tries < 3_000; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    if (this.waiting.length < count) throw new Error(`only ${this.waiting.length} of ${count} requests arrived`);
  }

  release(): void {
    for (const answer of this.waiting.splice(0)) answer();
  }
}

describe('deduplicatingFetcher', () => {
  const held = new HeldServer();
  const undici = createUndiciFetcher({ timeoutMs: 30_000 });
  const { fetcher, coalescer } = deduplicatingFetcher(undici.fetcher);
  let url: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => held.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(held.server.address() as AddressInfo).port}/graphql`; // TCP listen: AddressInfo
  });

  afterAll(async () => {
    held.release();
    await undici.close();
    await new Promise((resolve) => held.server.close(resolve));
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const query = JSON.stringify({ query: 'query Q__reviews__1($representations:[_Any!]!){_entities(representations:$representations){__typename}}', variables: { representations: [{ __typename: 'User', id: '1' }] } });

  it('sends identical queries in flight once; every caller reads its own copy of the answer', async () => {
    held.requests = [];
    const calls = [post(query, { 'x-crossdock-identity': 'alice', traceparent: '00-aa-01-01' }), post(query, { 'x-crossdock-identity': 'alice', traceparent: '00-bb-02-01' }), post(query, { 'x-crossdock-identity': 'alice' })];
    await held.heldCount(1);
    held.release();
    const responses = await Promise.all(calls);
    expect(held.requests).toHaveLength(1);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(bodies).toEqual([0, 1, 2].map(() => ({ data: { answer: 1, identity: 'alice' } })));
    expect(bodies[0]).not.toBe(bodies[1]); // parsed per caller: the executor merges into what it parsed
    expect(responses.every((r) => r.status === 200 && r.headers.get('content-type') === 'application/json')).toBe(true);
  });

  it('never shares between identities, bodies or subgraphs', async () => {
    held.requests = [];
    const other = JSON.stringify({ query: '{ topProducts { upc } }' });
    const calls = [post(query, { 'x-crossdock-identity': 'alice' }), post(query, { 'x-crossdock-identity': 'bob' }), post(other, { 'x-crossdock-identity': 'alice' })];
    await held.heldCount(3);
    held.release();
    const bodies = (await Promise.all((await Promise.all(calls)).map((r) => r.json()))) as { data: { identity: string } }[];
    expect(held.requests).toHaveLength(3);
    expect(bodies.map((b) => b.data.identity)).toEqual(['alice', 'bob', 'alice']);
  });

  it('shares fetches that differ only in headers named per fetch, and only those', async () => {
    const named = deduplicatingFetcher(undici.fetcher, { perFetchHeaders: ['X-Crossdock-Request'] }).fetcher;
    const postNamed = (headers: Record<string, string>) => named(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: query });
    held.requests = [];
    const shared = [postNamed({ 'x-crossdock-identity': 'alice', 'x-crossdock-request': 'r-1' }), postNamed({ 'x-crossdock-identity': 'alice', 'x-crossdock-request': 'r-2' })];
    await held.heldCount(1);
    held.release();
    await Promise.all(shared);
    expect(held.requests).toHaveLength(1);
    // Without the option the same header tells the fetches apart.
    held.requests = [];
    const apart = [post(query, { 'x-crossdock-identity': 'alice', 'x-crossdock-request': 'r-1' }), post(query, { 'x-crossdock-identity': 'alice', 'x-crossdock-request': 'r-2' })];
    await held.heldCount(2);
    held.release();
    await Promise.all(apart);
    expect(held.requests).toHaveLength(2);
  });

  it('never shares mutations', async () => {
    held.requests = [];
    const mutation = JSON.stringify({ query: 'mutation{placeOrder(input:{}){order{id}}}' });
    const calls = [post(mutation, { 'x-crossdock-identity': 'alice' }), post(mutation, { 'x-crossdock-identity': 'alice' })];
    await held.heldCount(2);
    held.release();
    await Promise.all(calls);
    expect(held.requests).toHaveLength(2);
  });

  it('hands a failed fetch to every caller that shared it', async () => {
    const before = coalescer.counts.followers;
    const closed = `http://127.0.0.1:1/graphql`;
    const calls = [0, 1].map(() => fetcher(closed, { method: 'POST', headers: {}, body: query }).then(() => 'answered', (error: Error) => error.message));
    const messages = await Promise.all(calls);
    expect(messages[0]).toMatch(/^request to http:\/\/127\.0\.0\.1:1\/graphql failed, reason: connect ECONNREFUSED/);
    expect(messages[1]).toBe(messages[0]);
    expect(coalescer.counts.followers).toBe(before + 1);
  });
});
