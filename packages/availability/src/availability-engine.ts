import { setTimeout as sleep } from 'node:timers/promises';
import { channelFigures, type WarehouseAtp } from './available-to-sell';
import type { ChannelFeed } from './channel-feed';
import type { ChannelRules } from './channel-rules';
import type { AtpReader, FigureRecord, PushStore } from './ports';

/** What the engine tells the metrics and the log. */
export interface EngineObserver {
  /** A change of a SKU merged into one already waiting in the window: one recomputation saved. */
  merged?(): void;
  error?(message: string, error: unknown): void;
}

/** Options of the AvailabilityEngine. */
export interface AvailabilityEngineOptions {
  atp: AtpReader;
  store: PushStore;
  /** One feed per channel, with the rules it was built with. */
  feeds: readonly { rules: ChannelRules; feed: ChannelFeed }[];
  /** Changes within this window become one recomputation and one figure per SKU (default 200 ms). */
  coalesceMs?: number;
  /** SKUs per ATP read (default 100, the WMS's batch limit). */
  readBatch?: number;
  /** Wait before a failed recomputation (ATP or store down) is tried again (default 1 s). */
  retryMs?: number;
  observer?: EngineObserver;
  clock?: () => number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** The engine stopped before the change was saved; the change's event stays unacknowledged. */
export class EngineStoppedError extends Error {
  override name = 'EngineStoppedError';
}

/**
 * Recomputes what every channel may sell when ATP moves. Changes are collected for a short
 * window; then ATP of the changed SKUs is read once, each channel's rules applied, and every
 * figure that differs from the channel's current one is saved (the durable outbox) and handed
 * to the channel's feed with a new sequence number.
 */
export class AvailabilityEngine {
  private feeds: readonly { rules: ChannelRules; feed: ChannelFeed }[];
  /** SKU → the earliest change waiting for this window. */
  private dirty = new Map<string, number>();
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastSeq = 0;
  private readonly clock: () => number;

  constructor(private readonly options: AvailabilityEngineOptions) {
    this.feeds = options.feeds;
    this.clock = options.clock ?? Date.now;
  }

  /** Every channel this engine feeds, with its rules. */
  channels(): readonly { rules: ChannelRules; feed: ChannelFeed }[] {
    return this.feeds;
  }

  /**
   * ATP of these SKUs changed at `at` (default now). Resolves once figures reflecting the change
   * are saved, so a caller acknowledging the change's event afterwards never loses it.
   */
  touch(skus: Iterable<string>, at: number = this.clock()): Promise<void> {
    return this.touchAt(new Map([...skus].map((sku) => [sku, at])));
  }

  /** Like touch, with each SKU's own change time (epoch ms), e.g. from its event. */
  touchAt(changes: Iterable<readonly [sku: string, at: number]>): Promise<void> {
    for (const [sku, at] of changes) {
      const earlier = this.dirty.get(sku);
      if (earlier !== undefined) this.options.observer?.merged?.();
      this.dirty.set(sku, earlier === undefined ? at : Math.min(earlier, at));
    }
    if (this.stopped) return Promise.reject(new EngineStoppedError('the availability engine is stopped'));
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.schedule(this.options.coalesceMs ?? 200);
    return done;
  }

  /** Recomputes these SKUs now, without waiting for the window (a resync, a rule change). */
  async recompute(skus: readonly string[]): Promise<void> {
    await this.computeAndSave(new Map(skus.map((sku) => [sku, this.clock()])));
  }

  /** Channel rules changed: the new rules apply from now, and every SKU the channel knows is recomputed. */
  async replaceRules(rules: ChannelRules): Promise<void> {
    const entry = this.feeds.find((f) => f.rules.channel === rules.channel);
    if (!entry) throw new Error(`no feed for channel ${rules.channel}`);
    this.feeds = this.feeds.map((f) => (f === entry ? { rules, feed: f.feed } : f));
    await this.recompute(entry.feed.knownSkus());
  }

  /** True when no change waits for its window and no recomputation runs. */
  idle(): boolean {
    return this.dirty.size === 0 && this.timer === null && this.running === null;
  }

  /** Stops the window timer and waits for a recomputation under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new EngineStoppedError('the availability engine stopped before the change was saved'));
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer || this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.flush().finally(() => {
        this.running = null;
        if (this.dirty.size > 0) this.schedule(this.options.coalesceMs ?? 200);
      });
    }, delayMs);
  }

  private async flush(): Promise<void> {
    const dirty = this.dirty;
    const waiters = this.waiters;
    this.dirty = new Map();
    this.waiters = [];
    while (!this.stopped) {
      try {
        await this.computeAndSave(dirty);
        for (const waiter of waiters) waiter.resolve();
        return;
      } catch (error) {
        this.options.observer?.error?.(`availability: recomputing ${dirty.size} SKUs failed; retrying`, error);
        await sleep(this.options.retryMs ?? 1000);
      }
    }
    for (const waiter of waiters) waiter.reject(new EngineStoppedError('the availability engine stopped before the change was saved'));
  }

  private async computeAndSave(changes: ReadonlyMap<string, number>): Promise<void> {
    const skus = [...changes.keys()];
    const batch = this.options.readBatch ?? 100;
    for (let i = 0; i < skus.length; i += batch) {
      const chunk = skus.slice(i, i + batch);
      const atp = await this.options.atp.read(chunk);
      const byChannel = this.feeds.map(({ rules, feed }) => ({ feed, records: chunk.flatMap((sku) => this.changedFigure(rules, feed, sku, atp.get(sku) ?? new Map(), changes.get(sku) ?? this.clock())) }));
      await this.options.store.saveFigures(byChannel.flatMap((c) => c.records));
      for (const { feed, records } of byChannel) feed.offer(records);
    }
  }

  private changedFigure(rules: ChannelRules, feed: ChannelFeed, sku: string, atp: WarehouseAtp, changedAt: number): FigureRecord[] {
    const locations = Object.fromEntries(channelFigures(rules, sku, atp).map((f) => [f.location, f.quantity]));
    const current = feed.figure(sku);
    if (current && sameFigures(current.locations, locations)) return [];
    const pending = feed.pendingSince(sku);
    const now = this.clock();
    return [{ channel: rules.channel, sku, seq: this.nextSeq(current?.seq ?? 0), locations, changedAt: new Date(Math.min(changedAt, pending?.getTime() ?? changedAt)), computedAt: new Date(now) }];
  }

  /**
   * Sequence numbers grow within the process and across restarts: microseconds of the clock, and
   * never at or below a figure already held (a clock set back cannot make a newer figure look older).
   */
  private nextSeq(floor: number): number {
    this.lastSeq = Math.max(this.lastSeq + 1, floor + 1, this.clock() * 1000);
    return this.lastSeq;
  }
}

function sameFigures(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
