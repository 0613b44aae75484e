import { randomUUID } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { MemoryAckBoard, type AckBoard, type AckedFigure, type AckKey } from './ack-board';
import { startAvailabilityFeeds, type AvailabilityFeeds, type AvailabilityFeedsOptions } from './availability-feeds';
import type { ChannelFeed } from './channel-feed';
import { loadChannelRules, type ChannelRules } from './channel-rules';
import { connectorFor } from './connector-factory';
import type { LeaseStore } from './feed-lease';
import type { ResyncCheckpoint } from './ports';
import { DEFAULT_RESYNC_STREAMS, requestResync, serveResyncRequests, type ResyncStreamKeys } from './resync-requests';

/** Who runs the feeds among the WMS replicas: the holder of one lease. */
export interface FeedLeaseOptions {
  store: LeaseStore;
  /** The lease's key (default `crossdock:availability:leader`). */
  key?: string;
  /** This replica's name in the lease (default host, pid and a random suffix). */
  owner?: string;
  /** How long the lease lasts unless renewed (default 5000 ms): a dead holder's feeds move to another replica within about this. */
  ttlMs?: number;
  /** How often the holder renews and the others try to take it (default a third of ttlMs). */
  renewEveryMs?: number;
}

/** Options of startAvailabilityRunner: the feeds' own, the lease, and where the rules come from. */
export interface AvailabilityRunnerOptions extends AvailabilityFeedsOptions {
  /** Null: this process alone runs the feeds (one replica, tests). */
  lease: FeedLeaseOptions | null;
  /** The folder `rules` came from: watched, and a valid change applied without a restart (null: not watched). */
  rulesDir?: string | null;
  /** Changes of the folder within this window are read once (default 300 ms). */
  reloadDebounceMs?: number;
  /** What the runner tells the log that is no error: leadership taken or given up, rules reloaded (default: log with no error). */
  notice?: (message: string) => void;
  /** A rules change was applied or refused (tests wait for it). */
  onRulesChange?: (outcome: { applied: true; channels: string[] } | { applied: false; error: Error }) => void;
  /** The streams on the bus a replica asks the leading one for a resync through (default DEFAULT_RESYNC_STREAMS). */
  resyncStreams?: ResyncStreamKeys;
  /** How long a replica that does not lead waits for the leader to start a resync it asked for (default 10 s). */
  resyncWaitMs?: number;
  /** Wait before a failed start of the feeds, or a failed recomputation after a rules change, is tried again (default 1 s). */
  retryMs?: number;
}

/** The running feeds as the WMS subgraph sees them: the same answers on every replica, whichever leads. */
export interface AvailabilityRunner {
  rules(channel: string): ChannelRules | null;
  /** The channel's feed on the leading replica; null elsewhere. */
  feed(channel: string): ChannelFeed | null;
  /** What the channels acknowledged at these keys, from the board every replica reads (one round trip). */
  acknowledged(keys: readonly AckKey[]): Promise<(AckedFigure | null)[]>;
  /**
   * Starts (or joins) a full resync of the channel on the leading replica and answers the run's
   * first checkpoint: here when this replica leads, else asked through the bus. Rejects with
   * ResyncQueuedError when no leader started it within `resyncWaitMs` (it stays queued), and
   * with FeedsNotLeadingError on a replica that does not lead and has no bus to ask through.
   */
  resync(channel: string, requestedBy: string): Promise<ResyncCheckpoint>;
  /** True while this replica holds the lease and runs the feeds. */
  leading(): boolean;
  /** The feeds while this replica runs them. */
  current(): AvailabilityFeeds | null;
  /** Applies new rules (checked first; invalid ones are refused with the error and the old rules stay). */
  replaceRules(rules: readonly ChannelRules[]): Promise<string[]>;
  /** Reads `rulesDir` again and applies it (what the watcher does). */
  reloadRules(): Promise<string[]>;
  /** Stops the feeds and gives the lease up, so another replica takes over at once. */
  stop(): Promise<void>;
}

/** What a rules change left to do under the new rules, until the feeds run with them and it is done. */
type Owed = { what: 'recompute' } | { what: 'resync' };

/** Another replica holds the feeds' lease: what only the running feeds can do must be asked there. */
export class FeedsNotLeadingError extends Error {
  override name = 'FeedsNotLeadingError';
}

export const DEFAULT_LEASE_KEY = 'crossdock:availability:leader';

/**
 * Runs the available-to-sell feeds on exactly one replica: the one holding the lease (SET NX PX
 * in Redis, renewed by compare-and-renew). The others keep trying to take it, so when the holder
 * dies its lease runs out and another replica starts the feeds from the durable store within
 * about `ttlMs`; a holder that cannot renew (Redis unreachable, lease taken over) stops pushing
 * before its lease can have run out, and checks right before each push that the lease it last
 * renewed cannot have run out yet (the fence). What the channels acknowledged goes to a board
 * every replica reads, and a resync asked on any replica reaches the leader through the bus, so
 * every replica answers alike. Channel rules are reloaded from `rulesDir` when its files change:
 * a valid set replaces the rules, restarts the feeds with them and recomputes every SKU of each
 * changed channel (a new channel gets a full resync), retried until the feeds run with the new
 * rules and the recomputation succeeded; an invalid set is reported and the old rules stay.
 */
export async function startAvailabilityRunner(options: AvailabilityRunnerOptions): Promise<AvailabilityRunner> {
  const runner = new Runner(options);
  await runner.start();
  return runner;
}

class Runner implements AvailabilityRunner {
  private rulesNow: readonly ChannelRules[];
  private feeds: AvailabilityFeeds | null = null;
  /** The rules the running feeds were started with. */
  private feedsRules: readonly ChannelRules[] | null = null;
  /** The leader's side of resyncs asked on other replicas, while the feeds run here. */
  private resyncServer: { stop(): Promise<void> } | null = null;
  /** Channels whose rules changed and whose figures are not recomputed under the new ones yet. */
  private readonly owed = new Map<string, Owed>();
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly board: AckBoard;
  private readonly resyncStreams: ResyncStreamKeys;
  /** Starts and stops of the feeds, one after the other. */
  private transitions: Promise<void> = Promise.resolve();
  private holding = false;
  /**
   * When the last successful renewal (or acquisition) was sent, on the monotonic clock (a wall
   * clock set back must not stretch it): the lease lasts ttlMs from then at least.
   */
  private heldSince = 0;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;
  private watcher: FSWatcher | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;
  private readonly owner: string;
  private readonly key: string;
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private readonly log: (message: string, error: unknown) => void;
  private readonly notice: (message: string) => void;

  constructor(private readonly options: AvailabilityRunnerOptions) {
    this.rulesNow = options.rules;
    this.owner = options.lease?.owner ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.key = options.lease?.key ?? DEFAULT_LEASE_KEY;
    this.ttlMs = options.lease?.ttlMs ?? 5000;
    this.renewEveryMs = options.lease?.renewEveryMs ?? Math.max(1, Math.floor(this.ttlMs / 3));
    if (this.renewEveryMs >= this.ttlMs) throw new RangeError(`the feeds' lease must be renewed more often (${this.renewEveryMs} ms) than it lasts (${this.ttlMs} ms)`);
    this.log = options.log ?? ((message, error) => console.error(message, error));
    this.notice = options.notice ?? ((message) => this.log(message, null));
    // Alone (one replica), an in-process board is shared enough.
    this.board = options.board ?? new MemoryAckBoard();
    this.resyncStreams = options.resyncStreams ?? DEFAULT_RESYNC_STREAMS;
  }

  async start(): Promise<void> {
    // A missing URL variable or partner file stops the start, whichever replica will lead.
    this.checkConnectors(this.rulesNow);
    if (this.options.rulesDir) this.watchRules(this.options.rulesDir);
    if (!this.options.lease) {
      // Alone: the feeds start now, and a failure to start fails the start.
      this.holding = true;
      await this.enqueue(() => this.startFeeds());
      return;
    }
    await this.tick();
  }

  rules(channel: string): ChannelRules | null {
    return this.rulesNow.find((r) => r.channel === channel) ?? null;
  }

  feed(channel: string): ChannelFeed | null {
    return this.feeds?.feed(channel) ?? null;
  }

  acknowledged(keys: readonly AckKey[]): Promise<(AckedFigure | null)[]> {
    return this.board.read(keys);
  }

  async resync(channel: string, requestedBy: string): Promise<ResyncCheckpoint> {
    if (this.feeds) return this.startResync(this.feeds, channel, requestedBy);
    const streams = this.options.streams;
    if (!streams) throw new FeedsNotLeadingError('the available-to-sell feeds run on another WMS replica (the holder of their lease), and this one has no event bus to ask it through; ask again');
    return requestResync({ streams, keys: this.resyncStreams, channel, requestedBy, waitMs: this.options.resyncWaitMs ?? 10_000 });
  }

  leading(): boolean {
    return this.feeds !== null;
  }

  current(): AvailabilityFeeds | null {
    return this.feeds;
  }

  async reloadRules(): Promise<string[]> {
    const dir = this.options.rulesDir;
    if (!dir) throw new Error('the feeds were started without a rules folder');
    return this.replaceRules(loadChannelRules(dir));
  }

  async replaceRules(rules: readonly ChannelRules[]): Promise<string[]> {
    this.checkConnectors(rules);
    const before = new Map(this.rulesNow.map((r) => [r.channel, r]));
    const changed = rules.filter((r) => !isDeepStrictEqual(before.get(r.channel), r)).map((r) => r.channel);
    const removed = [...before.keys()].filter((channel) => !rules.some((r) => r.channel === channel));
    if (changed.length === 0 && removed.length === 0) return [];
    this.rulesNow = [...rules];
    // Remembered on every replica: whichever runs the feeds next under these rules does it.
    for (const channel of changed) this.owed.set(channel, before.has(channel) && this.owed.get(channel)?.what !== 'resync' ? { what: 'recompute' } : { what: 'resync' });
    for (const channel of removed) this.owed.delete(channel);
    // The feeds restart with the new rules (connectors and rate limits may have changed too);
    // what each channel is owed is in the store, so nothing is lost in between. A restart or a
    // recomputation that fails is tried again until it succeeds (converge).
    await this.converge();
    return [...changed, ...removed];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.watcher?.close();
    await this.ticking;
    const wasHolding = this.holding;
    this.holding = false;
    await this.converge();
    if (this.options.lease && wasHolding) await this.options.lease.store.release(this.key, this.owner).catch((error: unknown) => this.log('availability: releasing the feeds\' lease failed; it runs out on its own', error));
  }

  /** Builds every channel's connector once: a missing URL variable or partner file refuses the whole set before anything changes. */
  private checkConnectors(rules: readonly ChannelRules[]): void {
    const environment = this.options.environment;
    if (!environment) return;
    for (const r of rules) if (!this.options.connectors?.[r.channel]) connectorFor(r, environment);
  }

  /** One round of the lease: take it or renew it, then start or stop the feeds to match. */
  private async tick(): Promise<void> {
    const lease = this.options.lease;
    if (!lease || this.stopped) return;
    const sentAt = performance.now();
    try {
      if (!this.holding) {
        // Renewing takes back a lease this replica still holds after it stopped for a Redis outage.
        if ((await lease.store.acquire(this.key, this.owner, this.ttlMs)) || (await lease.store.renew(this.key, this.owner, this.ttlMs))) {
          this.holding = true;
          this.heldSince = sentAt;
          this.notice(`availability: this replica (${this.owner}) took the feeds' lease and runs the feeds`);
        }
      } else if (await lease.store.renew(this.key, this.owner, this.ttlMs)) {
        this.heldSince = sentAt;
      } else {
        this.holding = false;
        this.notice('availability: the feeds\' lease was taken over by another replica; this one stops pushing');
      }
    } catch (error) {
      this.log('availability: the feeds\' lease could not be taken or renewed (Redis)', error);
      // Stop while a round is still left before the lease runs out: another replica may take it
      // from then on, and stopping waits for the requests under way.
      if (this.holding && performance.now() + 2 * this.renewEveryMs >= this.heldSince + this.ttlMs) {
        this.holding = false;
        this.notice('availability: the feeds\' lease could not be renewed in time; this replica stops pushing');
      }
    }
    // Not awaited: a slow start (loading the store) must not delay the next renewal. Failures are logged by enqueue.
    this.converge().catch(() => undefined);
    if (!this.stopped) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.ticking = this.tick().finally(() => (this.ticking = null));
      }, this.renewEveryMs);
    }
  }

  /**
   * Starts or stops the feeds so that they run exactly while the lease is held, and does what a
   * rules change left to do once they run. A failure is logged and tried again: at the next
   * lease round, or after `retryMs`.
   */
  private converge(): Promise<void> {
    return this.enqueue(async () => {
      const wanted = this.holding && !this.stopped;
      if (this.feeds && (!wanted || this.feedsRules !== this.rulesNow)) await this.stopFeeds();
      if (!wanted) return;
      try {
        if (this.holding && !this.stopped && !this.feeds) await this.startFeeds();
        if (this.feeds && this.owed.size > 0) await this.settleOwed(this.feeds);
      } catch (error) {
        this.log(this.feeds ? 'availability: recomputing after a rules change failed; trying again' : 'availability: starting the feeds failed; trying again', error);
        this.retryLater();
      }
    });
  }

  private retryLater(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.converge().catch(() => undefined);
    }, this.options.retryMs ?? 1000);
    this.retryTimer.unref();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.transitions.then(step);
    this.transitions = next.catch((error: unknown) => this.log('availability: changing the running feeds failed', error));
    return next;
  }

  private async startFeeds(): Promise<void> {
    const claimIdleMs = this.options.lease ? this.ttlMs : undefined;
    const rules = this.rulesNow;
    const feeds = await startAvailabilityFeeds({ ...this.options, rules, claimIdleMs, board: this.board, fence: () => this.mayPush() });
    this.feeds = feeds;
    this.feedsRules = rules;
    const streams = this.options.streams;
    if (streams && this.options.lease) {
      this.resyncServer = serveResyncRequests({
        streams,
        keys: this.resyncStreams,
        consumer: this.owner,
        claimIdleMs: this.ttlMs,
        start: (channel, requestedBy) => this.startResync(feeds, channel, requestedBy),
        onError: this.log,
      });
    }
  }

  private async stopFeeds(): Promise<void> {
    const running = this.feeds;
    const server = this.resyncServer;
    this.feeds = null;
    this.resyncServer = null;
    await server?.stop();
    await running?.stop();
  }

  /** Starts or joins a run on these feeds; it goes on after the answer, its failure logged (a crash resumes it). */
  private async startResync(feeds: AvailabilityFeeds, channel: string, requestedBy: string): Promise<ResyncCheckpoint> {
    const run = feeds.resync(channel, requestedBy);
    run.finished.catch((error: unknown) => this.log(`availability: the resync of channel ${channel} failed`, error));
    return run.started;
  }

  /**
   * The fence: pushes go out only while the lease this replica last took or renewed cannot have
   * run out, with a renewal period to spare for a request under way (its time counts from when
   * the renewal was sent, before Redis set the new expiry).
   */
  private mayPush(): boolean {
    if (!this.options.lease) return true;
    return this.holding && !this.stopped && performance.now() < this.heldSince + this.ttlMs - this.renewEveryMs;
  }

  /** Every SKU a changed channel has a figure for is recomputed under its new rules; a new channel is resynced whole. */
  private async settleOwed(feeds: AvailabilityFeeds): Promise<void> {
    const owed = [...this.owed];
    const recomputed = owed.filter(([, entry]) => entry.what === 'recompute');
    const skus = new Set(recomputed.flatMap(([channel]) => feeds.feed(channel)?.knownSkus() ?? []));
    if (skus.size > 0) await feeds.engine.recompute([...skus]);
    // A change that came meanwhile replaced the entry: it stays owed.
    for (const [channel, entry] of recomputed) if (this.owed.get(channel) === entry) this.owed.delete(channel);
    for (const [channel, entry] of owed.filter(([, e]) => e.what === 'resync')) {
      // Once its first checkpoint is saved, a crash resumes the run: nothing is owed any more.
      await this.startResync(feeds, channel, 'rules-change');
      if (this.owed.get(channel) === entry) this.owed.delete(channel);
    }
  }

  /** Watches the rules folder; a burst of changes (an editor's save, a deploy) is read once. */
  private watchRules(dir: string): void {
    try {
      this.watcher = watch(dir, () => {
        if (this.reloadTimer) clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => {
          this.reloadTimer = null;
          if (this.stopped) return;
          this.reloadRules().then(
            (channels) => {
              if (channels.length > 0) {
                this.notice(`availability: channel rules reloaded from ${dir}; changed: ${channels.join(', ')}`);
                this.options.onRulesChange?.({ applied: true, channels });
              }
            },
            (error: unknown) => {
              const refused = error instanceof Error ? error : new Error(String(error));
              this.log(`availability: the channel rules in ${dir} were not applied (the previous rules stay): ${refused.message}`, refused);
              this.options.onRulesChange?.({ applied: false, error: refused });
            },
          );
        }, this.options.reloadDebounceMs ?? 300);
      });
      this.watcher.on('error', (error) => this.log(`availability: watching ${dir} failed; rule changes need a restart`, error));
      this.watcher.unref();
    } catch (error) {
      this.log(`availability: cannot watch ${dir}; rule changes need a restart`, error);
    }
  }
}
