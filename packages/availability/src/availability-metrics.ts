import { BoundedLabel, hubRegistry } from '@crossdock/telemetry';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { EngineObserver } from './availability-engine';
import type { FeedObserver, FeedStatus } from './channel-feed';

/** Change-to-acknowledgement buckets in seconds: 50 ms to 10 minutes (a channel that was down). */
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 600];

const channels = new BoundedLabel(50);
let feedStatus: (() => FeedStatus[]) | null = null;

function created<T>(factory: () => T): () => T {
  let instance: T | null = null;
  return () => (instance ??= factory());
}

const metrics = created(() => {
  const registers = [hubRegistry()];
  return {
    lag: new Histogram({
      name: 'crossdock_availability_push_lag_seconds',
      help: 'From an ATP change to the channel acknowledging the figure that reflects it, by channel.',
      labelNames: ['channel'] as const,
      buckets: LAG_BUCKETS,
      registers,
    }),
    requests: new Counter({ name: 'crossdock_availability_push_requests_total', help: 'Requests sent to channel inventory APIs, by channel.', labelNames: ['channel'] as const, registers }),
    items: new Counter({ name: 'crossdock_availability_pushed_items_total', help: 'Figures (SKU × location) sent to channels, by channel.', labelNames: ['channel'] as const, registers }),
    saved: new Counter({
      name: 'crossdock_availability_pushes_saved_total',
      help: 'Pushes saved by coalescing: changes merged in the window (stage=window) and waiting figures replaced by newer ones (stage=outbox).',
      labelNames: ['channel', 'stage'] as const,
      registers,
    }),
    failures: new Counter({ name: 'crossdock_availability_push_failures_total', help: 'Failed pushes by channel and outcome (throttled, unavailable, rejected).', labelNames: ['channel', 'outcome'] as const, registers }),
    backlog: new Gauge({
      name: 'crossdock_availability_drift_items',
      help: 'Figures (SKU × location) whose current value the channel has not acknowledged yet, by channel: the drift between what it shows and what it may sell.',
      labelNames: ['channel'] as const,
      registers,
      collect() {
        for (const status of feedStatus?.() ?? []) this.set({ channel: channels.value(status.channel) }, status.waiting + status.inFlight);
      },
    }),
  };
});

/** Feed events into the hub's Prometheus registry. */
export function feedMetrics(log: (message: string, error: unknown) => void): FeedObserver {
  return {
    acknowledged: (channel, lagMs) => metrics().lag.observe({ channel: channels.value(channel) }, lagMs / 1000),
    pushed: (channel, items) => {
      metrics().requests.inc({ channel: channels.value(channel) });
      metrics().items.inc({ channel: channels.value(channel) }, items);
    },
    coalesced: (channel) => metrics().saved.inc({ channel: channels.value(channel), stage: 'outbox' }),
    failed: (channel, outcome) => metrics().failures.inc({ channel: channels.value(channel), outcome }),
    error: log,
  };
}

/** Engine events into the registry (merges in the window are not per channel). */
export function engineMetrics(log: (message: string, error: unknown) => void): EngineObserver {
  return { merged: () => metrics().saved.inc({ channel: 'all', stage: 'window' }), error: log };
}

/** Where the drift gauge reads the feeds' state at scrape time (null: none). */
export function trackFeeds(source: (() => FeedStatus[]) | null): void {
  feedStatus = source;
  if (source) metrics();
}
