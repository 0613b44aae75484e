import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { BackendError } from '@crossdock/connectors';
import { MemoryExceptionStore } from '@crossdock/exceptions';
import { createLogger, EventBusUnavailableError, MAX_NOTICE_BYTES, signedWebhookRoute, startHttpService, type RunningService } from '../src';

const KEY = 'webhook-test-key-0123456789';
const sign = (body: string, key = KEY) => createHmac('sha256', key).update(body).digest('hex');

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A webhook whose notices are `{ "n": <integer> }`; n = 0 stands for the bus being down. */
async function start(secret: string | null = KEY) {
  const exceptions = new MemoryExceptionStore();
  const accepted: number[] = [];
  const service: RunningService = await startHttpService(
    {
      name: 'test',
      logger: createLogger('test', 'silent'),
      routes: [
        signedWebhookRoute({
          path: '/webhooks/test',
          source: 'test',
          signatureHeader: 'X-Test-Signature',
          secret,
          exceptions,
          logger: createLogger('test', 'silent'),
          accept: async (notice) => {
            const n = typeof notice === 'object' && notice !== null && 'n' in notice ? notice.n : undefined;
            if (typeof n !== 'number') throw new BackendError({ backend: 'test', kind: 'bad-response', message: `notice.n is not a number: ${JSON.stringify(n)}` });
            if (n === 0) throw new EventBusUnavailableError('bus down');
            accepted.push(n);
            return `${n}-0`;
          },
        }),
      ],
    },
    { port: 0, host: '127.0.0.1' },
  );
  cleanup.push(() => service.close());
  const post = async (body: string, headers: Record<string, string> = { 'x-test-signature': sign(body) }) => {
    const response = await fetch(`${service.url}/webhooks/test`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }; // the route's JSON answer
  };
  const recorded = async () => (await exceptions.list({ kinds: ['malformed-webhook'] }, { first: 50, after: null })).items;
  return { post, recorded, accepted };
}

describe('a signed webhook route', () => {
  it('accepts a notice signed with the key and answers the event cursor', async () => {
    const { post, accepted, recorded } = await start();
    expect(await post('{"n":7}')).toEqual({ status: 202, body: { accepted: true, cursor: '7-0' } });
    expect(accepted).toEqual([7]);
    expect(await recorded()).toEqual([]);
  });

  it('refuses unsigned, forged, unreadable and oversized notices and records each with its raw body', async () => {
    const { post, accepted, recorded } = await start();
    const huge = JSON.stringify({ n: 1, pad: 'x'.repeat(MAX_NOTICE_BYTES) });
    const answers = [
      await post('{"n":1}', {}),
      await post('{"n":2}', { 'x-test-signature': sign('{"n":2}', 'another-key-0123456789') }),
      await post('{"n":3}', { 'x-test-signature': 'zz-not-hex' }),
      await post('{"n":', { 'x-test-signature': sign('{"n":') }),
      await post('{"n":"four"}'),
      await post(huge),
    ];
    expect(answers.map((a) => [a.status, a.body.error])).toEqual([
      [401, 'MISSING_SIGNATURE'],
      [401, 'INVALID_SIGNATURE'],
      [401, 'INVALID_SIGNATURE'],
      [400, 'MALFORMED_NOTICE'],
      [422, 'MALFORMED_NOTICE'],
      [413, 'PAYLOAD_TOO_LARGE'],
    ]);
    expect(accepted).toEqual([]);
    const items = await recorded();
    expect(items.map((e) => e.rawPayload).sort()).toEqual(['', '{"n":', '{"n":"four"}', '{"n":1}', '{"n":2}', '{"n":3}'].sort());
    expect(items.find((e) => e.rawPayload === '{"n":"four"}')?.reason).toContain('notice.n is not a number');
  });

  it('counts a notice delivered again as more attempts of the same exception', async () => {
    const { post, recorded } = await start();
    await post('{"n":1}', {});
    await post('{"n":1}', {});
    expect((await recorded()).map((e) => e.attempts)).toEqual([2]);
  });

  it('asks the sender to deliver again when the bus is down, and refuses everything without a key', async () => {
    const bus = await start();
    expect(await bus.post('{"n":0}')).toEqual({ status: 503, body: { error: 'EVENT_BUS_UNAVAILABLE', message: expect.any(String) } });
    expect(await bus.recorded()).toEqual([]);
    const unconfigured = await start(null);
    expect((await unconfigured.post('{"n":5}')).status).toBe(503);
    expect((await unconfigured.recorded()).map((e) => e.reason)).toEqual([expect.stringContaining('WEBHOOK_NOT_CONFIGURED')]);
  });
});
