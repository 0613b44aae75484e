import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CursorExpiredError, InvalidCursorError, type EventStreams } from '../../src';

export interface StreamsFixture {
  streams: EventStreams;
  close(): Promise<void>;
}

/** Retention every fixture must be built with: exact trimming at 3 entries, so the edge is visible. */
export const CONTRACT_RETENTION = { maxLength: 3, approximate: false };

/**
 * The one contract every EventStreams adapter passes (DESIGN.md: the in-process substitute must
 * never drift from Redis). `factory` gives each test a fresh bus; stream names are per test.
 */
export function describeEventStreamsContract(name: string, factory: () => Promise<StreamsFixture>): void {
  describe(`EventStreams contract: ${name}`, () => {
    let fixture: StreamsFixture | undefined;
    let streamNumber = 0;
    const bus = (): EventStreams => {
      if (!fixture) throw new Error('no event streams: the factory failed');
      return fixture.streams;
    };
    const fresh = () => `contract:${Date.now()}:${(streamNumber += 1)}`;
    const appendAll = async (stream: string, payloads: string[]) => {
      const ids: string[] = [];
      for (const payload of payloads) ids.push(await bus().append(stream, payload));
      return ids;
    };

    beforeEach(async () => {
      fixture = await factory();
    });
    afterEach(async () => {
      await fixture?.close();
      fixture = undefined;
    });

    it('appends entries in order and reads them back by cursor, exclusively', async () => {
      const stream = fresh();
      expect(await bus().lastId(stream)).toBe('0-0');
      const ids = await appendAll(stream, ['a', 'b', 'c']);
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(3);
      expect(await bus().range(stream, null, 10)).toEqual([
        { id: ids[0], payload: 'a' },
        { id: ids[1], payload: 'b' },
        { id: ids[2], payload: 'c' },
      ]);
      expect(await bus().range(stream, ids[0]!, 10)).toEqual([
        { id: ids[1], payload: 'b' },
        { id: ids[2], payload: 'c' },
      ]);
      expect(await bus().range(stream, ids[0]!, 1)).toEqual([{ id: ids[1], payload: 'b' }]);
      expect(await bus().range(stream, ids[2]!, 10)).toEqual([]);
      expect(await bus().lastId(stream)).toBe(ids[2]);
    });

    it('appends once per key, also when the same key races, and again once the key has lapsed', async () => {
      const stream = fresh();
      const key = `${stream}:notice-1`;
      const racing = await Promise.all([1, 2, 3, 4].map((n) => bus().appendOnce(stream, `notice-1 copy ${n}`, key, 60_000)));
      expect(racing.filter((r) => r.appended)).toHaveLength(1);
      expect(new Set(racing.map((r) => r.id)).size).toBe(1);
      const other = await bus().appendOnce(stream, 'notice-2', `${stream}:notice-2`, 60_000);
      expect(other.appended).toBe(true);
      const entries = await bus().range(stream, null, 10);
      expect(entries.map((e) => e.id)).toEqual([racing[0]!.id, other.id]);
      expect(entries[0]!.payload).toMatch(/^notice-1 copy \d$/);
      const short = `${stream}:short`;
      expect((await bus().appendOnce(stream, 'short', short, 50)).appended).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect((await bus().appendOnce(stream, 'short again', short, 50)).appended).toBe(true);
    });

    it('answers an unknown stream with nothing, and refuses a cursor it never issued', async () => {
      expect(await bus().range(fresh(), null, 10)).toEqual([]);
      expect(await bus().range(fresh(), '0-0', 10)).toEqual([]);
      // A stream that is gone (Redis restarted without persistence) lost what the cursor points into.
      await expect(bus().range(fresh(), '1-0', 10)).rejects.toBeInstanceOf(CursorExpiredError);
      const stream = fresh();
      const id = await bus().append(stream, 'a');
      const [ms] = id.split('-');
      await expect(bus().range(stream, `${Number(ms) + 60_000}-0`, 10)).rejects.toBeInstanceOf(CursorExpiredError);
    });

    it('refuses a cursor that is not a stream id', async () => {
      const stream = fresh();
      await bus().append(stream, 'a');
      await expect(bus().range(stream, 'yesterday', 10)).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(bus().read(stream, '12-x', { blockMs: 10, count: 10 })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('keeps the newest entries within retention and refuses a cursor whose successors were trimmed', async () => {
      const stream = fresh();
      const ids = await appendAll(stream, ['1', '2', '3', '4', '5']);
      expect((await bus().range(stream, null, 10)).map((e) => e.payload)).toEqual(['3', '4', '5']);
      // Resuming from the oldest kept entry loses nothing.
      expect((await bus().range(stream, ids[2]!, 10)).map((e) => e.payload)).toEqual(['4', '5']);
      // After entry 1 came 2, which is gone: a silent skip would lose it.
      const expired = bus().range(stream, ids[0]!, 10);
      await expect(expired).rejects.toBeInstanceOf(CursorExpiredError);
      await expect(expired).rejects.toMatchObject({ code: 'CURSOR_EXPIRED', oldestKept: ids[2] });
      // From "the beginning" is older than retention once anything was trimmed.
      await expect(bus().range(stream, '0-0', 10)).rejects.toBeInstanceOf(CursorExpiredError);
    });

    it('blocks a live read until an entry arrives, and times out with nothing', async () => {
      const stream = fresh();
      const [first] = await appendAll(stream, ['old']);
      expect(await bus().read(stream, first!, { blockMs: 50, count: 10 })).toEqual([]);
      const waiting = bus().read(stream, first!, { blockMs: 5_000, count: 10 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const id = await bus().append(stream, 'new');
      expect(await waiting).toEqual([{ id, payload: 'new' }]);
      expect(await bus().read(stream, '0-0', { blockMs: 10, count: 1 })).toEqual([{ id: first, payload: 'old' }]);
    });

    it('shares a stream among the consumers of a group, each entry to one of them', async () => {
      const stream = fresh();
      await bus().ensureGroup(stream, 'workers', '$');
      await bus().ensureGroup(stream, 'workers', '$');
      await bus().ensureGroup(stream, 'audit', '$');
      // Three: what the contract's retention keeps.
      const ids = await appendAll(stream, ['a', 'b', 'c']);
      const options = { blockMs: 10, count: 2, claimIdleMs: 60_000 };
      const one = await bus().readGroup(stream, 'workers', 'one', options);
      const two = await bus().readGroup(stream, 'workers', 'two', options);
      expect([...one, ...two].map((e) => e.id).sort()).toEqual(ids);
      await bus().ack(stream, 'workers', one.map((e) => e.id));
      await bus().ack(stream, 'workers', two.map((e) => e.id));
      expect(await bus().readGroup(stream, 'workers', 'one', options)).toEqual([]);
      // Another group reads every entry for itself.
      const audit = await bus().readGroup(stream, 'audit', 'x', { ...options, count: 10 });
      expect(audit.map((e) => e.payload)).toEqual(['a', 'b', 'c']);
    });

    it('gives a consumer its own unacknowledged entries again, and another consumer those left idle', async () => {
      const stream = fresh();
      await bus().ensureGroup(stream, 'workers', '0');
      await appendAll(stream, ['a', 'b']);
      const first = await bus().readGroup(stream, 'workers', 'crashed', { blockMs: 10, count: 10, claimIdleMs: 60_000 });
      expect(first.map((e) => e.payload)).toEqual(['a', 'b']);
      // The same consumer after a restart: its pending entries first.
      expect((await bus().readGroup(stream, 'workers', 'crashed', { blockMs: 10, count: 10, claimIdleMs: 60_000 })).map((e) => e.payload)).toEqual(['a', 'b']);
      // Another replica does not take them while they are fresh…
      expect(await bus().readGroup(stream, 'workers', 'other', { blockMs: 10, count: 10, claimIdleMs: 60_000 })).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 30));
      // …but does once they sat idle longer than claimIdleMs.
      const taken = await bus().readGroup(stream, 'workers', 'other', { blockMs: 10, count: 10, claimIdleMs: 20 });
      expect(taken.map((e) => e.payload)).toEqual(['a', 'b']);
      await bus().ack(stream, 'workers', taken.map((e) => e.id));
      expect(await bus().readGroup(stream, 'workers', 'crashed', { blockMs: 10, count: 10, claimIdleMs: 60_000 })).toEqual([]);
    });

    it('starts a group at "$" with new entries only', async () => {
      const stream = fresh();
      await appendAll(stream, ['before']);
      await bus().ensureGroup(stream, 'late', '$');
      await appendAll(stream, ['after']);
      expect((await bus().readGroup(stream, 'late', 'c', { blockMs: 10, count: 10, claimIdleMs: 60_000 })).map((e) => e.payload)).toEqual(['after']);
    });

    it('wakes a group reader blocked for new entries', async () => {
      const stream = fresh();
      await bus().ensureGroup(stream, 'workers', '$');
      const waiting = bus().readGroup(stream, 'workers', 'c', { blockMs: 5_000, count: 10, claimIdleMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await bus().append(stream, 'x');
      expect((await waiting).map((e) => e.payload)).toEqual(['x']);
    });
  });
}
