import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { createClient } from 'redis';
import { RedisEventStreams, startGroupConsumer, StreamFeed, type StreamEntry } from '../src';
import { CONTRACT_RETENTION, describeEventStreamsContract } from './contract/event-streams-contract';
import { describeGroupConsumerCases } from './contract/group-consumer-cases';
import { describeStreamFeedCases, take } from './contract/stream-feed-cases';

let redis: BackingService | undefined;

function redisUrl(): string {
  if (!redis) throw new Error('redis-server did not start');
  return redis.url;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const quiet = () => undefined;

describeEventStreamsContract('redis', async () => {
  const streams = await RedisEventStreams.connect({ url: redisUrl(), retention: CONTRACT_RETENTION, onConnectionError: quiet });
  return { streams, close: () => streams.close() };
});
describeStreamFeedCases('redis', async (retention) => {
  const streams = await RedisEventStreams.connect({ url: redisUrl(), retention, onConnectionError: quiet });
  return { streams, close: () => streams.close() };
});
describeGroupConsumerCases('redis', async () => {
  const streams = await RedisEventStreams.connect({ url: redisUrl(), retention: { maxLength: 1_000 }, onConnectionError: quiet });
  return { streams, close: () => streams.close() };
});

describe('RedisEventStreams on a real redis-server', () => {
  it('stores one payload field per entry and trims approximately by default', async () => {
    const streams = await RedisEventStreams.connect({ url: redisUrl(), retention: { maxLength: 10 }, onConnectionError: quiet });
    const admin = createClient({ url: redisUrl() });
    await admin.connect();
    try {
      for (let i = 0; i < 1_000; i += 1) await streams.append('layout', `{"n":${i}}`);
      const [entry] = await admin.xRange('layout', '-', '+', { COUNT: 1 });
      expect(Object.keys(entry?.message ?? {})).toEqual(['payload']);
      // `~` trims whole nodes: the stream keeps at least the 10 asked for, and far fewer than all.
      const length = await admin.xLen('layout');
      expect(length).toBeGreaterThanOrEqual(10);
      expect(length).toBeLessThan(1_000);
    } finally {
      await streams.close();
      await admin.close();
    }
  });

  it('trims by age with MINID when a maximum age is set', async () => {
    const streams = await RedisEventStreams.connect({ url: redisUrl(), retention: { maxLength: 1_000, maxAgeMs: 100, approximate: false }, onConnectionError: quiet });
    try {
      await streams.append('aged', 'old');
      await new Promise((resolve) => setTimeout(resolve, 150));
      await streams.append('aged', 'new');
      expect((await streams.range('aged', null, 10)).map((e) => e.payload)).toEqual(['new']);
    } finally {
      await streams.close();
    }
  });
});

describe('a live feed across a Redis restart (append-only file on)', () => {
  let persistent: BackingService | undefined;
  beforeAll(async () => {
    persistent = await startRedis({ persist: true });
  });
  afterAll(async () => {
    await persistent?.stop();
  });

  it('resumes from its last id: every entry once, in order, none lost', async () => {
    if (!persistent) throw new Error('redis-server did not start');
    const url = persistent.url;
    const readErrors: unknown[] = [];
    const reader = await RedisEventStreams.connect({ url, retention: { maxLength: 10_000 }, onConnectionError: quiet });
    const feed = new StreamFeed(reader, 'restart', { blockMs: 200, retryMs: 100, onReadError: (error) => readErrors.push(error) });
    try {
      const subscription = await feed.subscribe(null);
      const before = await appendWith(url, ['a', 'b']);
      expect(await take(subscription, 2)).toEqual(before);
      await persistent.restart();
      const after = await appendWith(url, ['c', 'd']);
      expect(await take(subscription, 2, 20_000)).toEqual(after);
      // The stream itself survived the restart.
      const check = await RedisEventStreams.connect({ url, retention: { maxLength: 10_000 }, onConnectionError: quiet });
      expect((await check.range('restart', null, 10)).map((e) => e.payload)).toEqual(['a', 'b', 'c', 'd']);
      await check.close();
      expect(readErrors.length).toBeGreaterThan(0);
    } finally {
      feed.close();
      await reader.close();
    }
  });
});

/** Appends through a connection of its own, as another replica would. */
async function appendWith(url: string, payloads: string[]): Promise<StreamEntry[]> {
  const writer = await RedisEventStreams.connect({ url, retention: { maxLength: 10_000 }, onConnectionError: quiet });
  try {
    const entries: StreamEntry[] = [];
    for (const payload of payloads) entries.push({ id: await writer.append('restart', payload), payload });
    return entries;
  } finally {
    await writer.close();
  }
}

describe('a consumer group across a Redis restart that lost everything', () => {
  let volatile: BackingService | undefined;
  beforeAll(async () => {
    volatile = await startRedis();
  });
  afterAll(async () => {
    await volatile?.stop();
  });

  it('makes its group again and handles what is appended after the restart', async () => {
    if (!volatile) throw new Error('redis-server did not start');
    const streams = await RedisEventStreams.connect({ url: volatile.url, retention: { maxLength: 1_000 }, onConnectionError: quiet });
    const handled: string[] = [];
    const consumer = await startGroupConsumer(streams, {
      stream: 'work',
      group: 'workers',
      consumer: 'one',
      blockMs: 100,
      retryMs: 100,
      handle: async (entry) => {
        handled.push(entry.payload);
      },
      onFailure: async () => undefined,
      onReadError: quiet,
    });
    try {
      await streams.append('work', 'before');
      await until(() => handled.length === 1);
      await volatile.restart();
      // Appends fail fast while the client reconnects; a producer retries, as the webhooks' senders do.
      await until(async () => streams.append('work', 'after').then(() => true, () => false));
      await until(() => handled.includes('after'));
      expect(handled).toEqual(['before', 'after']);
    } finally {
      await consumer.stop();
      await streams.close();
    }
  });
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
