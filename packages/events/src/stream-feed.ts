import { setTimeout as sleep } from 'node:timers/promises';
import { compareStreamIds } from './stream-id';
import type { EventStreams, StreamEntry } from './ports';

export interface StreamFeedOptions {
  /** How long one live read waits for events before it reads again (default 5 s). */
  blockMs?: number;
  /** Entries per read, live and while catching up (default 200). */
  batchSize?: number;
  /** Pause before reading again after a failed read, e.g. while Redis restarts (default 500 ms). */
  retryMs?: number;
  /**
   * Entries a subscriber may have waiting before it is ended with SubscriberOverflowError: a
   * consumer that stopped reading must not grow this process's memory without bound (default 10 000).
   */
  maxQueued?: number;
  /** Hears every failed read; the feed keeps retrying from its last id. */
  onReadError?: (error: unknown) => void;
}

/** A subscriber fell further behind than the feed keeps for it. */
export class SubscriberOverflowError extends Error {
  override name = 'SubscriberOverflowError';
}

/**
 * One live reader of one stream per process, shared by every subscriber to it: the stream is read
 * once (XREAD BLOCK from the last id seen) and each entry handed to every subscriber, however
 * many there are. A failed read (Redis restarting) is retried from the same id, so nothing is
 * skipped or repeated. Every replica runs its own feed over the same stream, so every replica
 * delivers every entry to its own subscribers.
 *
 * A subscriber that gives a cursor first replays the entries after it (range reads), then goes
 * live: it joins the live reader before replaying and buffers what arrives meanwhile, and only
 * entries newer than the last one replayed pass, so there is neither a gap nor a duplicate.
 */
export class StreamFeed {
  private readonly subscribers = new Set<FeedSubscriber>();
  private position: Promise<string> | null = null;
  private stopped = new AbortController();
  private readonly blockMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly streams: EventStreams,
    readonly stream: string,
    private readonly options: StreamFeedOptions = {},
  ) {
    this.blockMs = options.blockMs ?? 5_000;
    this.batchSize = options.batchSize ?? 200;
  }

  /**
   * Entries after `after`, then live ones; from now on when `after` is null. Rejects at once with
   * CursorExpiredError or InvalidCursorError, before anything is delivered. Ending the iteration
   * (return()) unsubscribes.
   */
  async subscribe(after: string | null): Promise<AsyncIterableIterator<StreamEntry>> {
    await this.startLive();
    const subscriber = new FeedSubscriber(this.options.maxQueued ?? 10_000, () => this.subscribers.delete(subscriber));
    this.subscribers.add(subscriber);
    if (after === null) {
      subscriber.goLive(null);
      return subscriber.iterator();
    }
    try {
      const replayedUpTo = await this.replay(subscriber, after);
      subscriber.goLive(replayedUpTo);
    } catch (error) {
      subscriber.end();
      throw error;
    }
    return subscriber.iterator();
  }

  /** How many subscribers this process feeds right now. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Ends every subscriber and the live reader. */
  close(): void {
    this.stopped.abort();
    for (const subscriber of [...this.subscribers]) subscriber.end();
  }

  private async replay(subscriber: FeedSubscriber, after: string): Promise<string> {
    let cursor = after;
    for (;;) {
      const page = await this.streams.range(this.stream, cursor, this.batchSize);
      for (const entry of page) subscriber.replayed(entry);
      const last = page.at(-1);
      if (!last || page.length < this.batchSize) return last?.id ?? cursor;
      cursor = last.id;
    }
  }

  private startLive(): Promise<string> {
    this.position ??= this.streams.lastId(this.stream).then(
      (start) => {
        void this.readLive(start);
        return start;
      },
      (error: unknown) => {
        // Redis down at the first subscription: the next one tries again.
        this.position = null;
        throw error;
      },
    );
    return this.position;
  }

  private async readLive(start: string): Promise<void> {
    let after = start;
    const signal = this.stopped.signal;
    while (!signal.aborted) {
      try {
        const entries = await this.streams.read(this.stream, after, { blockMs: this.blockMs, count: this.batchSize });
        for (const entry of entries) {
          after = entry.id;
          for (const subscriber of this.subscribers) subscriber.live(entry);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.options.onReadError?.(error);
        await sleep(this.options.retryMs ?? 500, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}

/** One subscriber's queue: replayed entries, then live ones newer than the replay's last. */
class FeedSubscriber {
  private readonly queue: StreamEntry[] = [];
  private waiting: { resolve: (result: IteratorResult<StreamEntry>) => void; reject: (error: unknown) => void } | null = null;
  /** Live entries that arrive while the subscriber replays; null once it is live. */
  private held: StreamEntry[] | null = [];
  /** The last replayed id: live entries up to it were replayed already. */
  private liveAfter: string | null = null;
  private ended = false;
  private failure: unknown = null;

  constructor(
    private readonly maxQueued: number,
    private readonly onEnd: () => void,
  ) {}

  /** An entry read by the replay, in order. */
  replayed(entry: StreamEntry): void {
    this.push(entry);
  }

  /** An entry from the live reader: held while replaying, dropped when the replay had it. */
  live(entry: StreamEntry): void {
    if (this.held !== null) this.held.push(entry);
    else this.pushLive(entry);
  }

  /** Replay finished at `replayedUpTo` (null: there was none): release held entries newer than it. */
  goLive(replayedUpTo: string | null): void {
    const held = this.held ?? [];
    this.held = null;
    this.liveAfter = replayedUpTo;
    for (const entry of held) this.pushLive(entry);
  }

  end(failure: unknown = null): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.onEnd();
    const waiting = this.waiting;
    this.waiting = null;
    if (!waiting) return;
    if (failure !== null) waiting.reject(failure);
    else waiting.resolve({ value: undefined, done: true });
  }

  iterator(): AsyncIterableIterator<StreamEntry> {
    const next = (): Promise<IteratorResult<StreamEntry>> => {
      const entry = this.queue.shift();
      if (entry) return Promise.resolve({ value: entry, done: false });
      if (this.ended) return this.failure === null ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(this.failure);
      return new Promise((resolve, reject) => {
        this.waiting = { resolve, reject };
      });
    };
    const iterator: AsyncIterableIterator<StreamEntry> = {
      next,
      return: async () => {
        this.end();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private pushLive(entry: StreamEntry): void {
    if (this.liveAfter !== null && compareStreamIds(entry.id, this.liveAfter) <= 0) return;
    this.push(entry);
  }

  private push(entry: StreamEntry): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = null;
      waiting.resolve({ value: entry, done: false });
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.end(new SubscriberOverflowError(`subscriber fell ${this.maxQueued} events behind and was ended; resubscribe with the last cursor`));
      return;
    }
    this.queue.push(entry);
  }
}
