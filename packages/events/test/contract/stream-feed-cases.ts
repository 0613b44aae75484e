import { afterEach, describe, expect, it } from '@jest/globals';
import { CursorExpiredError, StreamFeed, SubscriberOverflowError, type StreamEntry, type StreamRetention } from '../../src';
import type { StreamsFixture } from './event-streams-contract';

/** Reads `count` entries from a subscription, failing the test if they do not come. */
export async function take(iterator: AsyncIterator<StreamEntry>, count: number, timeoutMs = 10_000): Promise<StreamEntry[]> {
  const taken: StreamEntry[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    const left = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(left, 0));
    });
    const next = await Promise.race([iterator.next(), timeout]);
    clearTimeout(timer);
    if (next === 'timeout') throw new Error(`only ${taken.length} of ${count} entries arrived`);
    if (next.done) throw new Error(`subscription ended after ${taken.length} of ${count} entries`);
    taken.push(next.value);
  }
  return taken;
}

/** StreamFeed over an adapter: one live reader, replay by cursor, no gap, no duplicate. */
export function describeStreamFeedCases(name: string, factory: (retention: StreamRetention) => Promise<StreamsFixture>): void {
  describe(`StreamFeed on ${name}`, () => {
    const cleanup: (() => Promise<void> | void)[] = [];
    afterEach(async () => {
      for (const step of cleanup.splice(0).reverse()) await step();
    });
    const open = async (retention: StreamRetention = { maxLength: 10_000, approximate: false }, maxQueued?: number) => {
      const fixture = await factory(retention);
      const stream = `feed:${Date.now()}:${Math.random()}`;
      const feed = new StreamFeed(fixture.streams, stream, { blockMs: 200, batchSize: 50, ...(maxQueued === undefined ? {} : { maxQueued }) });
      cleanup.push(() => fixture.close(), () => feed.close());
      return { streams: fixture.streams, stream, feed };
    };

    it('hands every new entry to every live subscriber, in order', async () => {
      const { streams, stream, feed } = await open();
      await streams.append(stream, 'before');
      const [a, b] = await Promise.all([feed.subscribe(null), feed.subscribe(null)]);
      const ids = [];
      for (const payload of ['1', '2', '3']) ids.push(await streams.append(stream, payload));
      for (const subscription of [a!, b!]) expect(await take(subscription, 3)).toEqual(ids.map((id, i) => ({ id, payload: String(i + 1) })));
    });

    it('replays after a cursor, then goes live, with neither gap nor duplicate while appends race', async () => {
      const { streams, stream, feed } = await open();
      const ids: string[] = [];
      for (let i = 0; i < 120; i += 1) ids.push(await streams.append(stream, `e${i}`));
      // A live subscriber keeps the feed's reader busy while the resuming one replays.
      const live = await feed.subscribe(null);
      const racing = (async () => {
        for (let i = 120; i < 220; i += 1) await streams.append(stream, `e${i}`);
      })();
      const resumed = await feed.subscribe(ids[19]!);
      await racing;
      const got = await take(resumed, 200);
      expect(got.map((e) => e.payload)).toEqual(Array.from({ length: 200 }, (_, i) => `e${i + 20}`));
      const liveGot = await take(live, 100);
      expect(liveGot.map((e) => e.payload)).toEqual(Array.from({ length: 100 }, (_, i) => `e${i + 120}`));
    });

    it('refuses a cursor older than retention before delivering anything', async () => {
      const { streams, stream, feed } = await open({ maxLength: 3, approximate: false });
      const first = await streams.append(stream, 'a');
      for (const payload of ['b', 'c', 'd', 'e']) await streams.append(stream, payload);
      await expect(feed.subscribe(first)).rejects.toBeInstanceOf(CursorExpiredError);
      expect(feed.subscriberCount).toBe(0);
    });

    it('unsubscribes when the consumer stops reading, and ends one that falls too far behind', async () => {
      const { streams, stream, feed } = await open(undefined, 5);
      const stopping = await feed.subscribe(null);
      const slow = await feed.subscribe(null);
      expect(feed.subscriberCount).toBe(2);
      await stopping.return?.();
      expect(feed.subscriberCount).toBe(1);
      for (let i = 0; i < 8; i += 1) await streams.append(stream, `x${i}`);
      const deadline = Date.now() + 5_000;
      while (feed.subscriberCount > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(feed.subscriberCount).toBe(0);
      const received: string[] = [];
      await expect(
        (async () => {
          for await (const entry of slow) received.push(entry.payload);
        })(),
      ).rejects.toBeInstanceOf(SubscriberOverflowError);
      expect(received).toEqual(['x0', 'x1', 'x2', 'x3', 'x4']);
    });
  });
}
