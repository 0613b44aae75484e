import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fetcher } from '@apollo/utils.fetcher';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { batchingFetcher } from '../src/batching-fetcher';
import { createUndiciFetcher } from '../src/undici-fetcher';

const BATCH_HEADER = 'x-crossdock-request';

/**
 * A real HTTP subgraph stand-in: answers each operation with its own `query` text and the caller
 * it was sent for, an array of operations with an array of answers (Apollo Server's batching),
 * unless told to refuse batches (400, as Apollo Server without `allowBatchedHttpRequests`) or to
 * refuse everything (401, as a subgraph refusing the caller).
 */
class StandIn {
  /** Each HTTP request's body, as received. */
  bodies: string[] = [];
  /** Each HTTP request's `traceparent`, or null. */
  traceparents: (string | null)[] = [];
  refuseBatches = false;
  refuseAll = false;
  readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      this.bodies.push(body);
      this.traceparents.push(req.headers.traceparent?.toString() ?? null);
      const parsed = JSON.parse(body) as { query: string } | { query: string }[];
      const answer = (operation: { query: string }) => ({ data: { query: operation.query, caller: req.headers['x-crossdock-identity'] ?? null } });
      res.setHeader('content-type', 'application/json');
      if (this.refuseAll) {
        res.statusCode = 401;
        res.end(JSON.stringify({ errors: [{ message: 'who are you?' }] }));
      } else if (Array.isArray(parsed) && this.refuseBatches) {
        res.statusCode = 400;
        res.end(JSON.stringify({ errors: [{ message: 'Operation batching disabled.' }] }));
      } else {
        res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)));
      }
    });
  });
}

const query = (name: string) => JSON.stringify({ query: `query ${name}{_entities(representations:[]){__typename}}`, variables: {} });
const textOf = (body: string) => (JSON.parse(body) as { query: string }).query;

describe('batchingFetcher', () => {
  const standIn = new StandIn();
  const undici = createUndiciFetcher({ timeoutMs: 30_000 });
  let url: string;
  let fetcher: Fetcher;

  beforeAll(async () => {
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}/graphql`; // TCP listen: AddressInfo
  });
  afterAll(async () => {
    await undici.close();
    await new Promise((resolve) => standIn.server.close(resolve));
  });
  beforeEach(() => {
    fetcher = batchingFetcher(undici.fetcher, { batchHeader: BATCH_HEADER });
    standIn.bodies = [];
    standIn.traceparents = [];
    standIn.refuseBatches = false;
    standIn.refuseAll = false;
  });

  const post = (body: string, headers: Record<string, string> = { 'x-crossdock-identity': 'alice', [BATCH_HEADER]: 'request-1' }, to = url) =>
    fetcher(to, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const dataOf = async (response: Awaited<ReturnType<Fetcher>>) => ((await response.json()) as { data: { query: string; caller: string | null } }).data;

  it('sends the fetches made together to one subgraph as one request, and gives each its own answer', async () => {
    const responses = await Promise.all([post(query('A')), post(query('B')), post(query('C'))]);
    expect(standIn.bodies).toHaveLength(1);
    expect((JSON.parse(standIn.bodies[0]!) as { query: string }[]).map((operation) => operation.query)).toEqual(['A', 'B', 'C'].map((name) => textOf(query(name))));
    expect(await Promise.all(responses.map(dataOf))).toEqual(['A', 'B', 'C'].map((name) => ({ query: textOf(query(name)), caller: 'alice' })));
    expect(responses.every((response) => response.status === 200 && response.ok && response.headers.get('content-type') === 'application/json')).toBe(true);
  });

  it('never joins fetches of different callers, client requests or subgraphs, nor fetches without the header', async () => {
    const otherSubgraph = url.replace('/graphql', '/other');
    const responses = await Promise.all([
      post(query('A')),
      post(query('B'), { 'x-crossdock-identity': 'bob', [BATCH_HEADER]: 'request-1' }),
      post(query('C'), { 'x-crossdock-identity': 'alice', [BATCH_HEADER]: 'request-2' }),
      post(query('D'), undefined, otherSubgraph),
      post(query('E'), { 'x-crossdock-identity': 'alice' }),
    ]);
    expect(standIn.bodies).toHaveLength(5);
    expect(standIn.bodies.every((body) => body.startsWith('{'))).toBe(true);
    expect((await Promise.all(responses.map(dataOf))).map((data) => data.caller)).toEqual(['alice', 'bob', 'alice', 'alice', 'alice']);
  });

  it('joins fetches whose trace context differs (each fetch has its span with tracing on), sending the first one\'s', async () => {
    const traced = (span: string) => ({ 'x-crossdock-identity': 'alice', [BATCH_HEADER]: 'request-1', traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${span}-01` });
    const responses = await Promise.all([post(query('A'), traced('00f067aa0ba902b7')), post(query('B'), traced('00f067aa0ba902b8'))]);
    expect(standIn.bodies.map((body) => body.charAt(0))).toEqual(['[']);
    expect(standIn.traceparents).toEqual(['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']);
    expect((await Promise.all(responses.map(dataOf))).map((data) => data.query)).toEqual(['A', 'B'].map((name) => textOf(query(name))));
  });

  it('sends each fetch of a refused batch with its own trace context', async () => {
    standIn.refuseBatches = true;
    const traced = (span: string) => ({ 'x-crossdock-identity': 'alice', [BATCH_HEADER]: 'request-1', traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${span}-01` });
    await Promise.all([post(query('A'), traced('00f067aa0ba902b7')), post(query('B'), traced('00f067aa0ba902b8'))]);
    expect(standIn.bodies.map((body) => body.charAt(0))).toEqual(['[', '{', '{']);
    expect(standIn.traceparents.slice(1).sort()).toEqual(['00f067aa0ba902b7', '00f067aa0ba902b8'].map((span) => `00-4bf92f3577b34da6a3ce929d0e0e4736-${span}-01`));
  });

  it('sends a mutation on its own, even with the header', async () => {
    const mutation = JSON.stringify({ query: 'mutation M{placeOrder{id}}' });
    await Promise.all([post(mutation), post(query('A')), post(query('B'))]);
    expect(standIn.bodies).toHaveLength(2);
    expect(standIn.bodies.filter((body) => body.startsWith('['))).toHaveLength(1);
    expect(standIn.bodies).toContain(mutation);
  });

  it('sends the fetches of a refused batch one by one, and later fetches to that subgraph alone', async () => {
    standIn.refuseBatches = true;
    const first = await Promise.all([post(query('A')), post(query('B'))]);
    expect(await Promise.all(first.map(dataOf))).toEqual(['A', 'B'].map((name) => ({ query: textOf(query(name)), caller: 'alice' })));
    expect(standIn.bodies.map((body) => body.charAt(0))).toEqual(['[', '{', '{']);
    standIn.bodies = [];
    const later = await Promise.all([post(query('C')), post(query('D'))]);
    expect((await Promise.all(later.map(dataOf))).map((data) => data.query)).toEqual(['C', 'D'].map((name) => textOf(query(name))));
    expect(standIn.bodies.map((body) => body.charAt(0))).toEqual(['{', '{']);
  });

  it('tries a batch again once the time a refusing subgraph gets its fetches alone has passed', async () => {
    let clock = 1_000_000;
    fetcher = batchingFetcher(undici.fetcher, { batchHeader: BATCH_HEADER, unbatchedForMs: 60_000, now: () => clock });
    standIn.refuseBatches = true;
    await Promise.all([post(query('A')), post(query('B'))]);
    standIn.refuseBatches = false;
    standIn.bodies = [];
    clock += 59_999;
    await Promise.all([post(query('C')), post(query('D'))]);
    expect(standIn.bodies.map((body) => body.charAt(0))).toEqual(['{', '{']);
    standIn.bodies = [];
    clock += 1;
    const again = await Promise.all([post(query('E')), post(query('F'))]);
    expect(standIn.bodies.map((body) => body.charAt(0))).toEqual(['[']);
    expect((await Promise.all(again.map(dataOf))).map((data) => data.query)).toEqual(['E', 'F'].map((name) => textOf(query(name))));
  });

  it('gives every fetch the answer a request of its own gets when the subgraph refuses the caller, and keeps batching', async () => {
    standIn.refuseAll = true;
    const refused = await Promise.all([post(query('A')), post(query('B'))]);
    expect(refused.map((response) => response.status)).toEqual([401, 401]);
    expect(await Promise.all(refused.map((response) => response.json()))).toEqual([0, 1].map(() => ({ errors: [{ message: 'who are you?' }] })));
    standIn.refuseAll = false;
    standIn.bodies = [];
    await Promise.all([post(query('C')), post(query('D'))]);
    expect(standIn.bodies.map((body) => body.charAt(0))).toEqual(['[']);
  });

  it('fails every fetch of a batch that cannot be delivered', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise((resolve) => closed.close(resolve));
    const results = await Promise.allSettled([post(query('A'), undefined, deadUrl), post(query('B'), undefined, deadUrl)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : ''))).toEqual([0, 1].map(() => expect.stringContaining('ECONNREFUSED')));
  });

  it("reads each fetch's answer once, and a clone taken before that is a copy of its own", async () => {
    const [a, b] = await Promise.all([post(query('A')), post(query('B'))]);
    const copy = a!.clone();
    const original = (await a!.json()) as { data: { query: string } };
    original.data.query = 'changed by the executor';
    expect(await dataOf(copy)).toEqual({ query: textOf(query('A')), caller: 'alice' });
    await expect(a!.json()).rejects.toThrow(TypeError);
    expect(() => a!.clone()).toThrow(TypeError);
    expect(JSON.parse(await b!.text())).toEqual({ data: { query: textOf(query('B')), caller: 'alice' } });
  });
});
