import type { EventStreams } from '@crossdock/events';
import type { ExceptionStore } from '@crossdock/exceptions';
import type { AckBoard } from './ack-board';
import { AvailabilityEngine, type EngineObserver } from './availability-engine';
import { engineMetrics, feedMetrics, trackFeeds } from './availability-metrics';
import { startChangeStream, type ChangeSource } from './change-stream';
import { ChannelFeed, type FeedObserver, type FeedStatus } from './channel-feed';
import { ChannelResync } from './channel-resync';
import type { ChannelRules } from './channel-rules';
import { connectorFor, type ConnectorEnvironment } from './connector-factory';
import type { AtpReader, ChannelConnector, PushStore, ResyncCheckpoint } from './ports';

/** Options of startAvailabilityFeeds. */
export interface AvailabilityFeedsOptions {
  rules: readonly ChannelRules[];
  atp: AtpReader;
  store: PushStore;
  exceptions: ExceptionStore | null;
  /** Where URLs and partner files come from; or `connectors` by channel (tests, benchmarks). */
  environment?: ConnectorEnvironment;
  connectors?: Readonly<Record<string, ChannelConnector>>;
  /** The event bus; without it only direct touch() calls (and resyncs) move figures. */
  streams?: EventStreams | null;
  /** This replica's consumer name on the bus. */
  consumer?: string;
  /** Streams besides the bus's inventory and orders topics that move ATP (reservations released on expiry). */
  sources?: readonly ChangeSource[];
  /** Entries a consumer that died left unacknowledged are taken over after this (default 30 s; the runner: its lease time). */
  claimIdleMs?: number;
  /** Every SKU the channels may list, for full resyncs (default: every SKU with a figure). */
  catalog?: () => Promise<string[]>;
  coalesceMs?: number;
  /** How often the store's log is compacted (default 30 s; 0: never, tests). */
  compactEveryMs?: number;
  /** Export lag, pushes, savings, failures and drift through packages/telemetry (default true). */
  metrics?: boolean;
  log?: (message: string, error: unknown) => void;
  /** Where every replica reads what the channels acknowledged (null: nowhere but the store). */
  board?: AckBoard | null;
  /** Asked right before each push: false while this replica may not push (the runner: the lease may have run out). */
  fence?: () => boolean;
  /** Hears every feed and engine event besides the metrics (benchmarks). */
  observer?: FeedObserver & EngineObserver;
}

/** The running feeds: the engine, one feed and resync per channel, and their status. */
export interface AvailabilityFeeds {
  engine: AvailabilityEngine;
  feed(channel: string): ChannelFeed | null;
  rules(channel: string): ChannelRules | null;
  /** Starts a full resync of a channel (or joins the one under way). */
  resync(channel: string, requestedBy: string): { started: Promise<ResyncCheckpoint>; finished: Promise<ResyncCheckpoint> };
  /** Where the channel's latest resync stands (null: never run). */
  resyncStatus(channel: string): Promise<ResyncCheckpoint | null>;
  status(): FeedStatus[];
  stop(): Promise<void>;
}

/**
 * Starts the available-to-sell feeds: one push feed per configured channel, the engine that
 * recomputes figures on every ATP change, the event-bus reader, scheduled resyncs, and resumes
 * a resync a crash cut short.
 */
export async function startAvailabilityFeeds(options: AvailabilityFeedsOptions): Promise<AvailabilityFeeds> {
  const log = options.log ?? ((message: string, error: unknown) => console.error(message, error));
  const withMetrics = options.metrics ?? true;
  const feeds = options.rules.map((rules) => {
    const connector = options.connectors?.[rules.channel] ?? (options.environment ? connectorFor(rules, options.environment) : null);
    if (!connector) throw new Error(`availability feed for channel ${rules.channel}: no connector (give an environment or connectors)`);
    const feed = new ChannelFeed({ rules, connector, store: options.store, board: options.board, mayPush: options.fence, exceptions: options.exceptions, observer: feedObservers(withMetrics ? feedMetrics(log) : { error: log }, options.observer) });
    return { rules, feed };
  });
  await Promise.all(feeds.map(({ feed }) => feed.start()));
  const engine = new AvailabilityEngine({ atp: options.atp, store: options.store, feeds, coalesceMs: options.coalesceMs, observer: engineObservers(withMetrics ? engineMetrics(log) : { error: log }, options.observer) });
  const resyncs = new Map<string, ChannelResync>(
    feeds.map(({ rules, feed }) => [rules.channel, new ChannelResync({ feed, engine, store: options.store, catalog: options.catalog, chunkSize: rules.resync.chunkSize })]),
  );
  const status = () => feeds.map(({ feed }) => feed.status());
  if (withMetrics) trackFeeds(status);
  for (const resync of resyncs.values()) void resync.resume().catch((error: unknown) => log('availability: resuming a resync failed', error));
  const timers = feeds
    .filter(({ rules }) => rules.resync.intervalMinutes > 0)
    .map(({ rules }) => {
      const timer = setInterval(() => {
        const resync = resyncs.get(rules.channel);
        if (resync && !resync.active) void resync.start('scheduled').finished.catch((error: unknown) => log(`availability: scheduled resync of ${rules.channel} failed`, error));
      }, rules.resync.intervalMinutes * 60_000);
      timer.unref();
      return timer;
    });
  const compactEveryMs = options.compactEveryMs ?? 30_000;
  let compacting: Promise<unknown> | null = null;
  const compaction =
    compactEveryMs > 0
      ? setInterval(() => {
          compacting ??= options.store
            .compact()
            .catch((error: unknown) => log('availability: compacting the figure log failed; trying again later', error))
            .finally(() => (compacting = null));
        }, compactEveryMs)
      : null;
  compaction?.unref();
  const changes = options.streams ? startChangeStream({ streams: options.streams, engine, consumer: options.consumer ?? `availability-${process.pid}`, sources: options.sources, claimIdleMs: options.claimIdleMs, onError: (error) => log('availability: reading ATP changes failed; retrying', error) }) : null;
  return {
    engine,
    feed: (channel) => feeds.find((f) => f.rules.channel === channel)?.feed ?? null,
    rules: (channel) => engine.channels().find((f) => f.rules.channel === channel)?.rules ?? null,
    resync: (channel, requestedBy) => {
      const resync = resyncs.get(channel);
      if (!resync) throw new Error(`no availability feed for channel ${channel}`);
      return resync.start(requestedBy);
    },
    resyncStatus: (channel) => options.store.checkpoint(channel),
    status,
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      if (compaction) clearInterval(compaction);
      await compacting;
      // The reader may be waiting for a recomputation: the engine's stop ends that wait.
      const reading = changes?.stop();
      await Promise.all([...resyncs.values()].map((r) => r.stop()));
      await engine.stop();
      await reading;
      await Promise.all(feeds.map(({ feed }) => feed.stop()));
      if (withMetrics) trackFeeds(null);
    },
  };
}

/** The metrics' observer and the caller's, both hearing every feed event. */
function feedObservers(first: FeedObserver, extra: FeedObserver | undefined): FeedObserver {
  if (!extra) return first;
  return {
    acknowledged: (channel, lagMs) => [first, extra].forEach((o) => o.acknowledged?.(channel, lagMs)),
    pushed: (channel, items) => [first, extra].forEach((o) => o.pushed?.(channel, items)),
    coalesced: (channel) => [first, extra].forEach((o) => o.coalesced?.(channel)),
    failed: (channel, outcome) => [first, extra].forEach((o) => o.failed?.(channel, outcome)),
    error: (message, error) => [first, extra].forEach((o) => o.error?.(message, error)),
  };
}

function engineObservers(first: EngineObserver, extra: EngineObserver | undefined): EngineObserver {
  if (!extra) return first;
  return { merged: () => [first, extra].forEach((o) => o.merged?.()), error: (message, error) => [first, extra].forEach((o) => o.error?.(message, error)) };
}
