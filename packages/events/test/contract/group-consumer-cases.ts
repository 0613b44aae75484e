import { afterEach, describe, expect, it } from '@jest/globals';
import { startGroupConsumer, type EventStreams, type StreamEntry } from '../../src';
import type { StreamsFixture } from './event-streams-contract';

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The work-queue consumer over a consumer group: once per group, failures recorded, a dead consumer's entries taken over. */
export function describeGroupConsumerCases(name: string, factory: () => Promise<StreamsFixture>): void {
  describe(`startGroupConsumer on ${name}`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const step of cleanup.splice(0).reverse()) await step();
    });
    const open = async (): Promise<{ streams: EventStreams; stream: string }> => {
      const fixture = await factory();
      cleanup.push(() => fixture.close());
      return { streams: fixture.streams, stream: `group:${Date.now()}:${Math.random()}` };
    };

    it('hands each entry to one replica of the group, and records one it cannot handle', async () => {
      const { streams, stream } = await open();
      const handled: [string, string][] = [];
      const failed: StreamEntry[] = [];
      const replica = (consumer: string) =>
        startGroupConsumer(streams, {
          stream,
          group: 'workers',
          consumer,
          blockMs: 50,
          handle: async (entry) => {
            if (entry.payload === 'poison') throw new Error('cannot read it');
            handled.push([consumer, entry.payload]);
          },
          onFailure: async (entry) => {
            failed.push(entry);
          },
        });
      const consumers = await Promise.all([replica('one'), replica('two')]);
      cleanup.push(async () => {
        await Promise.all(consumers.map((c) => c.stop()));
      });
      const payloads = Array.from({ length: 20 }, (_, i) => (i === 5 ? 'poison' : `e${i}`));
      for (const payload of payloads) await streams.append(stream, payload);
      await until(() => handled.length + failed.length === 20);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(handled.map(([, payload]) => payload).sort()).toEqual(payloads.filter((p) => p !== 'poison').sort());
      expect(failed.map((e) => e.payload)).toEqual(['poison']);
      // Acknowledged: nothing is left for the group.
      expect(await streams.readGroup(stream, 'workers', 'checker', { blockMs: 10, count: 50, claimIdleMs: 0 })).toEqual([]);
    });

    it('takes over what a replica took and never acknowledged', async () => {
      const { streams, stream } = await open();
      await streams.ensureGroup(stream, 'workers', '$');
      await streams.append(stream, 'orphan');
      // A replica that read the entry and died before acknowledging it.
      expect(await streams.readGroup(stream, 'workers', 'dead', { blockMs: 10, count: 10, claimIdleMs: 60_000 })).toHaveLength(1);
      const handled: string[] = [];
      const survivor = await startGroupConsumer(streams, {
        stream,
        group: 'workers',
        consumer: 'survivor',
        blockMs: 50,
        claimIdleMs: 100,
        handle: async (entry) => {
          handled.push(entry.payload);
        },
        onFailure: async () => undefined,
      });
      cleanup.push(() => survivor.stop());
      await until(() => handled.length === 1);
      expect(handled).toEqual(['orphan']);
    });
  });
}
