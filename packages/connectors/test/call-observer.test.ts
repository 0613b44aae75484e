import { afterEach, describe, expect, it } from '@jest/globals';
import { BackendError, JsonHttpClient, observeBackendCalls, type BackendCall } from '../src';
import { startCannedBackend } from './canned-backend';

describe('backend call observer', () => {
  afterEach(() => observeBackendCalls(null));

  it('sees every call with its outcome and puts the headers it hands over (traceparent) on the request', async () => {
    const received: (string | undefined)[] = [];
    const backend = await startCannedBackend((req, res) => {
      received.push(req.headers.traceparent as string | undefined); // node types a header as string | string[]
      res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const seen: { call: BackendCall; outcome: string }[] = [];
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    observeBackendCalls({
      around: async (call, send) => {
        try {
          const result = await send({ traceparent });
          seen.push({ call, outcome: 'ok' });
          return result;
        } catch (error) {
          seen.push({ call, outcome: error instanceof BackendError ? error.kind : 'other' });
          throw error;
        }
      },
    });
    const client = new JsonHttpClient({ backend: 'erp', baseUrl: backend.url });
    try {
      await client.get('/items', { q: 1 });
      await expect(client.post('/fail', {})).rejects.toThrow(BackendError);
    } finally {
      await client.close();
      await backend.close();
    }
    expect(received).toEqual([traceparent, traceparent]);
    expect(seen).toEqual([
      { call: { backend: 'erp', method: 'GET', path: '/items' }, outcome: 'ok' },
      { call: { backend: 'erp', method: 'POST', path: '/fail' }, outcome: 'server-error' },
    ]);
  });
});
