import { createServer, type IncomingHttpHeaders } from 'node:http';
import { BackendError } from '@crossdock/connectors';

export interface JsonAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** GET a JSON resource of a simulator (business or admin API), bypassing the connectors. */
export async function getJson(url: string): Promise<JsonAnswer> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** POST JSON (a string is sent as is, to test malformed bodies). */
export async function postJson(url: string, body: unknown = {}): Promise<JsonAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

export interface StatsBody {
  requests: Record<string, number>;
  total: number;
}

function isStats(value: unknown): value is StatsBody {
  return typeof value === 'object' && value !== null && 'total' in value && typeof value.total === 'number' && 'requests' in value;
}

export async function stats(baseUrl: string): Promise<StatsBody> {
  const { body } = await getJson(`${baseUrl}/_admin/stats`);
  if (!isStats(body)) throw new Error(`unexpected stats body ${JSON.stringify(body)}`);
  return body;
}

export async function resetStats(baseUrl: string): Promise<void> {
  await postJson(`${baseUrl}/_admin/stats/reset`);
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver; `failFirst` answers that many requests with 503 to force retries. */
export async function startReceiver(failFirst = 0): Promise<{
  url: string;
  received: ReceivedWebhook[];
  waitFor(count: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const waiters: (() => void)[] = [];
  let failures = failFirst;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      waiters.splice(0).forEach((wake) => wake());
      if (failures > 0) {
        failures -= 1;
        res.writeHead(503).end();
      } else {
        res.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    async waitFor(count) {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return received.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The BackendError a call failed with; fails the test if it succeeded or threw something else. */
export async function backendFailure(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
