import { compareStreamIds, cursorHasLostEntries, STREAM_START } from './stream-id';
import { CursorExpiredError, StreamsClosedError, type BlockingRead, type EventStreams, type GroupRead, type StreamEntry, type StreamRetention } from './ports';

interface PendingEntry {
  consumer: string;
  deliveredAt: number;
}

interface ConsumerGroup {
  lastDelivered: string;
  pending: Map<string, PendingEntry>;
}

interface MemoryStream {
  entries: StreamEntry[];
  lastId: string;
  /** Entries ever appended, trimmed ones included. */
  added: number;
  groups: Map<string, ConsumerGroup>;
}

export interface MemoryEventStreamsOptions {
  retention: StreamRetention;
  /** The clock ids are made from (tests move it). */
  now?: () => number;
}

/**
 * The in-process event bus for all-in-one mode: the same semantics as RedisEventStreams (the
 * shared contract suite runs against both), living as long as the process. Every method reads
 * and changes state without an await in between, which is what makes each call atomic here.
 */
/** Expired appendOnce keys are swept when this many are held. */
const ONCE_SWEEP_SIZE = 10_000;

export class MemoryEventStreams implements EventStreams {
  private readonly streams = new Map<string, MemoryStream>();
  private readonly waiters = new Set<() => void>();
  /** appendOnce keys: the entry's id, until when the key counts. */
  private readonly appendedOnce = new Map<string, { id: string; expiresAt: number }>();
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: MemoryEventStreamsOptions) {
    this.now = options.now ?? Date.now;
  }

  async append(stream: string, payload: string): Promise<string> {
    return this.appendNow(stream, payload);
  }

  /** No await between the check and the append: that is what makes appendOnce atomic here. */
  async appendOnce(stream: string, payload: string, key: string, ttlMs: number): Promise<{ id: string; appended: boolean }> {
    this.assertOpen();
    const now = this.now();
    const seen = this.appendedOnce.get(key);
    if (seen && seen.expiresAt > now) return { id: seen.id, appended: false };
    if (this.appendedOnce.size >= ONCE_SWEEP_SIZE) {
      for (const [k, v] of this.appendedOnce) if (v.expiresAt <= now) this.appendedOnce.delete(k);
    }
    const id = this.appendNow(stream, payload);
    this.appendedOnce.set(key, { id, expiresAt: now + ttlMs });
    return { id, appended: true };
  }

  private appendNow(stream: string, payload: string): string {
    this.assertOpen();
    const state = this.stream(stream);
    const id = this.nextId(state.lastId);
    state.entries.push({ id, payload });
    state.lastId = id;
    state.added += 1;
    this.trim(state);
    for (const wake of [...this.waiters]) wake();
    return id;
  }

  async range(stream: string, after: string | null, count: number): Promise<StreamEntry[]> {
    this.assertOpen();
    const state = this.streams.get(stream);
    if (after !== null) this.checkNotExpired(stream, state, after);
    return state ? this.entriesAfter(state, after ?? STREAM_START, count) : [];
  }

  async read(stream: string, after: string, options: BlockingRead): Promise<StreamEntry[]> {
    compareStreamIds(after, STREAM_START);
    const deadline = this.now() + options.blockMs;
    for (;;) {
      this.assertOpen();
      const state = this.streams.get(stream);
      const found = state ? this.entriesAfter(state, after, options.count) : [];
      const left = deadline - this.now();
      if (found.length > 0 || left <= 0) return found;
      await this.waitForAppend(left);
    }
  }

  async lastId(stream: string): Promise<string> {
    this.assertOpen();
    return this.streams.get(stream)?.lastId ?? STREAM_START;
  }

  async ensureGroup(stream: string, group: string, startId: string): Promise<void> {
    this.assertOpen();
    const state = this.stream(stream);
    if (state.groups.has(group)) return;
    state.groups.set(group, { lastDelivered: startId === '$' ? state.lastId : startId === '0' ? STREAM_START : startId, pending: new Map() });
  }

  async readGroup(stream: string, group: string, consumer: string, options: GroupRead): Promise<StreamEntry[]> {
    const deadline = this.now() + options.blockMs;
    for (;;) {
      this.assertOpen();
      const state = this.streams.get(stream);
      const consumers = state?.groups.get(group);
      if (!state || !consumers) throw new Error(`NOGROUP: no consumer group ${group} on ${stream}`);
      const found = this.claimIdle(state, consumers, consumer, options) ?? this.ownPending(state, consumers, consumer, options.count) ?? this.deliverNew(state, consumers, consumer, options.count);
      const left = deadline - this.now();
      if (found.length > 0 || left <= 0) return found;
      await this.waitForAppend(left);
    }
  }

  async ack(stream: string, group: string, ids: readonly string[]): Promise<void> {
    const consumers = this.streams.get(stream)?.groups.get(group);
    for (const id of ids) consumers?.pending.delete(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
  }

  private stream(name: string): MemoryStream {
    let state = this.streams.get(name);
    if (!state) {
      state = { entries: [], lastId: STREAM_START, added: 0, groups: new Map() };
      this.streams.set(name, state);
    }
    return state;
  }

  private assertOpen(): void {
    if (this.closed) throw new StreamsClosedError('the event streams are closed');
  }

  /** `<now>-0`, or the next sequence when the clock has not moved past the last id. */
  private nextId(lastId: string): string {
    const [lastMs = 0, lastSeq = 0] = lastId.split('-').map(Number);
    const ms = this.now();
    return ms > lastMs ? `${ms}-0` : `${lastMs}-${lastSeq + 1}`;
  }

  private trim(state: MemoryStream): void {
    const { maxLength, maxAgeMs } = this.options.retention;
    const tooOld = (entry: StreamEntry) => maxAgeMs !== null && maxAgeMs !== undefined && Number(entry.id.split('-')[0]) < this.now() - maxAgeMs;
    let drop = 0;
    if (maxAgeMs !== null && maxAgeMs !== undefined) {
      while (drop < state.entries.length && tooOld(state.entries[drop]!)) drop += 1;
    } else {
      drop = Math.max(0, state.entries.length - maxLength);
    }
    if (drop > 0) state.entries.splice(0, drop);
  }

  private checkNotExpired(stream: string, state: MemoryStream | undefined, cursor: string): void {
    const history = state
      ? { exists: true, length: state.entries.length, added: state.added, firstId: state.entries[0]?.id ?? null, lastGeneratedId: state.lastId, maxDeletedId: STREAM_START }
      : { exists: false, length: 0, added: 0, firstId: null, lastGeneratedId: STREAM_START, maxDeletedId: STREAM_START };
    if (cursorHasLostEntries(cursor, history)) throw new CursorExpiredError(stream, cursor, history.firstId);
  }

  private entriesAfter(state: MemoryStream, after: string, count: number): StreamEntry[] {
    return state.entries.filter((entry) => compareStreamIds(entry.id, after) > 0).slice(0, count).map((entry) => ({ ...entry }));
  }

  private claimIdle(state: MemoryStream, consumers: ConsumerGroup, consumer: string, options: GroupRead): StreamEntry[] | null {
    const now = this.now();
    const idle = [...consumers.pending].filter(([, p]) => now - p.deliveredAt >= options.claimIdleMs).slice(0, options.count);
    for (const [id] of idle) consumers.pending.set(id, { consumer, deliveredAt: now });
    return this.present(state, idle.map(([id]) => id));
  }

  private ownPending(state: MemoryStream, consumers: ConsumerGroup, consumer: string, count: number): StreamEntry[] | null {
    const own = [...consumers.pending].filter(([, p]) => p.consumer === consumer).slice(0, count);
    return this.present(state, own.map(([id]) => id));
  }

  private deliverNew(state: MemoryStream, consumers: ConsumerGroup, consumer: string, count: number): StreamEntry[] {
    const fresh = this.entriesAfter(state, consumers.lastDelivered, count);
    const now = this.now();
    for (const entry of fresh) consumers.pending.set(entry.id, { consumer, deliveredAt: now });
    const last = fresh.at(-1);
    if (last) consumers.lastDelivered = last.id;
    return fresh;
  }

  /** The entries still kept for these ids, oldest first; null when there are none (try the next source). */
  private present(state: MemoryStream, ids: readonly string[]): StreamEntry[] | null {
    if (ids.length === 0) return null;
    const wanted = new Set(ids);
    const found = state.entries.filter((entry) => wanted.has(entry.id)).map((entry) => ({ ...entry }));
    return found.length === 0 ? null : found;
  }

  private waitForAppend(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
    });
  }
}
