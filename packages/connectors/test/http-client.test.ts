import { afterEach, describe, expect, it } from '@jest/globals';
import { BackendError, JsonHttpClient } from '../src/index';
import { reply, startCannedBackend } from './canned-backend';
import { failureOf } from './failure-of';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function clientFor(answer: Parameters<typeof startCannedBackend>[0], timeoutMs = 1_000, basePath = ''): Promise<JsonHttpClient> {
  const backend = await startCannedBackend(answer);
  const client = new JsonHttpClient({ backend: 'test', baseUrl: backend.url + basePath, timeoutMs });
  cleanup.push(() => backend.close(), () => client.close());
  return client;
}

describe('JsonHttpClient', () => {
  it('sends the query and JSON body below the base path, and parses the answer', async () => {
    const client = await clientFor((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => reply(200, JSON.stringify({ url: req.url, method: req.method, body: Buffer.concat(chunks).toString() }))(req, res));
    }, 1_000, '/base/');
    const response = await client.post('/things', { a: 1 }, { query: { ids: 'A,B', skip: undefined, n: 2 } });
    expect(response.body).toEqual({ url: '/base/things?ids=A%2CB&n=2', method: 'POST', body: '{"a":1}' });
  });

  it('classifies HTTP failures and unreadable bodies', async () => {
    const notFound = await clientFor(reply(404, '{"error":"nope"}'));
    expect(await failureOf(notFound.get('/x'))).toMatchObject({ backend: 'test', kind: 'client-error', status: 404 });
    expect((await notFound.get('/x', undefined, { acceptStatus: [404] })).body).toEqual({ error: 'nope' });
    const broken = await clientFor(reply(503, 'upstream sad'));
    expect(await failureOf(broken.get('/x'))).toMatchObject({ kind: 'server-error', status: 503 });
    const garbled = await clientFor(reply(200, '<html>'));
    const error = await failureOf(garbled.get('/x'));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ kind: 'bad-response', status: 200 });
  });

  it('times out a slow backend and resets on a dropped connection', async () => {
    const slow = await clientFor((_req, res) => setTimeout(() => reply(200, '{}')(_req, res), 500), 50);
    expect(await failureOf(slow.get('/x'))).toMatchObject({ kind: 'timeout' });
    const dropping = await clientFor((req) => req.socket.resetAndDestroy());
    expect(await failureOf(dropping.get('/x'))).toMatchObject({ kind: 'reset' });
  });

  it('reports a backend that is not listening as unavailable', async () => {
    const backend = await startCannedBackend(reply(200, '{}'));
    await backend.close();
    const client = new JsonHttpClient({ backend: 'gone', baseUrl: backend.url });
    cleanup.push(() => client.close());
    expect(await failureOf(client.get('/x'))).toMatchObject({ backend: 'gone', kind: 'unavailable' });
  });

  it("passes the caller's abort through instead of blaming the backend", async () => {
    const slow = await clientFor((_req, res) => setTimeout(() => reply(200, '{}')(_req, res), 300));
    const controller = new AbortController();
    const call = slow.get('/x', undefined, { signal: controller.signal });
    controller.abort(new Error('client went away'));
    const error = await failureOf(call);
    expect(error).not.toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ message: 'client went away' });
  });
});
