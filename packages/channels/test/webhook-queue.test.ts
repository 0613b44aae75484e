import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { createClient } from 'redis';
import { MemoryWebhookQueue, RedisWebhookQueue, type QueuedWebhook, type WebhookQueue } from '../src';

let redis: BackingService | undefined;
let queues = 0;
const opened: WebhookQueue[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  await Promise.all(opened.map((queue) => queue.close()));
  await redis?.stop();
});

const adapters: [string, () => Promise<WebhookQueue>][] = [
  ['memory', async () => new MemoryWebhookQueue()],
  [
    'Redis',
    async () => {
      if (!redis) throw new Error('Redis not started');
      const queue = await RedisWebhookQueue.connect({ url: redis.url, keyPrefix: `queue-test-${(queues += 1)}:` });
      opened.push(queue);
      return queue;
    },
  ],
];

function accepted(id: string): Extract<QueuedWebhook, { kind: 'accepted' }> {
  return { kind: 'accepted', id: `shopify:${id}`, source: 'shopify', topic: 'orders/create', rawBody: `{"id":${id}}`, receivedAt: '2026-11-27T07:00:00.000Z' };
}

const take = { count: 10, blockMs: 0, claimIdleMs: 60_000 };

describe.each(adapters)('webhook queue contract: %s', (_name, open) => {
  it('appends an id once: its redelivery is "exists", and only the first is taken', async () => {
    const queue = await open();
    expect(await queue.appendOnce(accepted('1001'))).toBe('appended');
    expect(await queue.appendOnce(accepted('1001'))).toBe('exists');
    const taken = await queue.take('a', take);
    expect(taken.map((t) => t.webhook)).toEqual([accepted('1001')]);
  });

  it('keeps every refusal, each taken with its raw body and reason', async () => {
    const queue = await open();
    const refusal = { kind: 'refused' as const, id: 'shopify:forged', channel: 'web', reason: 'bad signature', rawBody: '{"id":1}', receivedAt: '2026-11-27T07:00:00.000Z' };
    await queue.appendRefused(refusal);
    await queue.appendRefused(refusal);
    expect((await queue.take('a', take)).map((t) => t.webhook)).toEqual([refusal, refusal]);
  });

  it('an entry stays until settled: its consumer gets it again, others do not until it is idle', async () => {
    const queue = await open();
    await queue.appendOnce(accepted('2001'));
    const [first] = await queue.take('a', take);
    expect(await queue.take('b', take)).toEqual([]);
    // Not settled (the hand-over failed): the same consumer gets it again before anything new.
    await queue.appendOnce(accepted('2002'));
    expect((await queue.take('a', take)).map((t) => t.entryId)).toEqual([first?.entryId]);
    expect(await queue.depth()).toBe(2);
    await queue.settle([first?.entryId ?? '']);
    expect((await queue.take('a', take)).map((t) => t.webhook?.id)).toEqual(['shopify:2002']);
  });

  it('entries of a consumer that died are taken over once idle past claimIdleMs', async () => {
    const queue = await open();
    await queue.appendOnce(accepted('3001'));
    expect(await queue.take('dies', take)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const takenOver = await queue.take('survivor', { ...take, claimIdleMs: 20 });
    expect(takenOver.map((t) => t.webhook?.id)).toEqual(['shopify:3001']);
    await queue.settle(takenOver.map((t) => t.entryId));
    expect(await queue.depth()).toBe(0);
    expect(await queue.take('survivor', { ...take, claimIdleMs: 0 })).toEqual([]);
  });

  it('a blocked take answers as soon as an entry is appended', async () => {
    const queue = await open();
    const waiting = queue.take('a', { ...take, blockMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await queue.appendOnce(accepted('4001'));
    expect((await waiting).map((t) => t.webhook?.id)).toEqual(['shopify:4001']);
  });
});

describe('Redis webhook queue durability', () => {
  it('an acknowledged delivery and its duplicate marker survive a Redis crash (AOF, fsync always)', async () => {
    const persistent = await startRedis({ persist: true });
    try {
      const queue = await RedisWebhookQueue.connect({ url: persistent.url, onConnectionError: () => undefined });
      expect(await queue.appendOnce(accepted('5001'))).toBe('appended');
      await persistent.kill();
      await persistent.restart();
      await queue.close();
      const after = await RedisWebhookQueue.connect({ url: persistent.url });
      try {
        expect(await after.appendOnce(accepted('5001'))).toBe('exists');
        expect((await after.take('a', take)).map((t) => t.webhook)).toEqual([accepted('5001')]);
      } finally {
        await after.close();
      }
    } finally {
      await persistent.stop();
    }
  }, 60_000);

  it('refuses appends at once while Redis is down (the door answers 503, the store delivers again), and takes them once it is back', async () => {
    const flaky = await startRedis();
    try {
      const queue = await RedisWebhookQueue.connect({ url: flaky.url, onConnectionError: () => undefined });
      try {
        await flaky.kill();
        await expect(queue.appendOnce(accepted('6001'))).rejects.toThrow();
        await flaky.restart();
        let outcome: string | null = null;
        for (let tries = 0; outcome === null && tries < 100; tries += 1) {
          outcome = await queue.appendOnce(accepted('6001')).catch(() => null);
          if (outcome === null) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(outcome).toBe('appended');
        expect((await queue.take('a', take)).map((t) => t.webhook?.id)).toEqual(['shopify:6001']);
      } finally {
        await queue.close();
      }
    } finally {
      await flaky.stop();
    }
  }, 60_000);

  it('takes an entry it cannot read as unreadable, with its text and why, beside the readable ones', async () => {
    if (!redis) throw new Error('Redis not started');
    const prefix = `queue-test-unreadable-${(queues += 1)}:`;
    const queue = await RedisWebhookQueue.connect({ url: redis.url, keyPrefix: prefix });
    opened.push(queue);
    await queue.appendOnce(accepted('7001'));
    const other = createClient({ url: redis.url });
    await other.connect();
    try {
      await other.sendCommand(['XADD', `${prefix}queue`, '*', 'webhook', '{"kind":"accepted","id":7}']);
      await other.sendCommand(['XADD', `${prefix}queue`, '*', 'webhook', 'not json']);
    } finally {
      await other.close();
    }
    const taken = await queue.take('a', take);
    expect(taken.map((t) => t.webhook?.id ?? null)).toEqual(['shopify:7001', null, null]);
    const unreadable = taken.flatMap((t) => (t.webhook === null ? [t.unreadable] : []));
    expect(unreadable.map((u) => u.raw)).toEqual(['{"kind":"accepted","id":7}', 'not json']);
    expect(unreadable[0]?.problem).toMatch(/^not a queued webhook \(id: /);
    expect(unreadable[1]?.problem).toMatch(/^not JSON/);
  });
});
