import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { freePort } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUndiciFetcher } from '../src/undici-fetcher';

/** What a caller of a Fetcher can observe of one call. */
async function observe(fetcher: Fetcher, url: string): Promise<Record<string, unknown>> {
  try {
    const response = await fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ a }"}' });
    return {
      ok: response.ok,
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get('Content-Type'),
      cacheControl: response.headers.get('cache-control'),
      missing: response.headers.get('x-not-sent'),
      body: await response.clone().json(),
      text: await response.text(),
    };
  } catch (error) {
    return { thrown: error instanceof Error ? error.message : String(error) };
  }
}

describe('undici fetcher: a drop-in for @apollo/gateway\'s default fetcher', () => {
  let server: Server;
  let base: string;
  const undici = createUndiciFetcher({ timeoutMs: 5_000 });
  // Stock @apollo/gateway's fetcher (make-fetch-happen over node-fetch), as its data sources build it.
  const stock = new RemoteGraphQLDataSource({ url: 'http://unused' }).fetcher;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const status = req.url === '/unavailable' ? 503 : 200;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=30, public' });
      res.end(JSON.stringify(status === 200 ? { data: { a: 'é ✓' } } : { errors: [{ message: 'down for maintenance' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`; // a TCP listen yields AddressInfo
  });

  afterAll(async () => {
    await undici.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers like the stock fetcher: status, reason phrase, headers, body', async () => {
    for (const path of ['/graphql', '/unavailable']) {
      const [mine, theirs] = [await observe(undici.fetcher, `${base}${path}`), await observe(stock, `${base}${path}`)];
      expect(mine).toEqual(theirs);
    }
    expect(await observe(undici.fetcher, `${base}/unavailable`)).toMatchObject({ ok: false, status: 503, statusText: 'Service Unavailable' });
  });

  it('words a refused connection as the stock fetcher does, which clients see in errors', async () => {
    const url = `http://127.0.0.1:${await freePort()}/graphql`;
    const [mine, theirs] = [await observe(undici.fetcher, url), await observe(stock, url)];
    expect(mine).toEqual(theirs);
    expect(mine.thrown).toMatch(/^request to http:\/\/127\.0\.0\.1:\d+\/graphql failed, reason: connect ECONNREFUSED/);
  });

  it('gives up on a subgraph that does not answer within its timeout, and answers calls that are answered in time', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const quick = createUndiciFetcher({ timeoutMs: 200 });
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`; // a TCP listen yields AddressInfo
      await expect(quick.fetcher(url, { method: 'POST', body: '{}' })).rejects.toMatchObject({ name: 'TimeoutError' });
      const answered = await Promise.all(Array.from({ length: 20 }, () => quick.fetcher(`${base}/graphql`, { method: 'POST', body: '{}' })));
      expect(answered.map((response) => response.status)).toEqual(Array.from({ length: 20 }, () => 200));
    } finally {
      silent.closeAllConnections();
      await quick.close();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
