import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoPushStore, parseChannelRules, startAvailabilityFeeds, type ChannelRules } from '@crossdock/availability';
import { RedisEventStreams } from '@crossdock/events';
import { repoRoot, startFerretDb, startRedis, startServiceProcess, type BackingService, type ServiceProcess } from '@crossdock/testkit';
import { join } from 'node:path';
import { sampleProcesses, UNMEASURED_USAGE } from '../load';
import { percentile } from '../percentile';
import type { Measurement, Suite, SuiteOptions, SuiteResult } from '../suites';
import { BENCH_WAREHOUSES, StockBoard } from './stock-board';

const SKU_COUNT = 2_000;
const CHANGES_PER_SECOND = 200;
const TARGET_P99_MS = 2_000;

/** The three channels: a store told per location, a marketplace and an EDI partner, sharing the stock. */
function benchRules(): ChannelRules[] {
  const fast = { requestsPerSecond: 1_000, burst: 200, concurrency: 16 };
  return [
    parseChannelRules({
      channel: 'web',
      perLocation: true,
      sharePercent: 50,
      bufferUnits: 1,
      rateLimit: fast,
      connector: { kind: 'shopify', urlEnv: 'COMMERCE_URL', locations: Object.fromEntries(BENCH_WAREHOUSES.map((w, i) => [w, 1001 + i])) },
    }),
    parseChannelRules({ channel: 'marketplace', sharePercent: 30, rateLimit: { requestsPerSecond: 20, burst: 10 }, connector: { kind: 'marketplace', urlEnv: 'COMMERCE_URL', name: 'tradewind-market', batchSize: 100 } }),
    parseChannelRules({ channel: 'edi', sharePercent: 20, floorUnits: 2, rateLimit: { requestsPerSecond: 5, burst: 2 }, connector: { kind: 'edi-846', urlEnv: 'COMMERCE_URL', partner: 'acme-retail', batchSize: 200 } }),
  ];
}

/**
 * Available-to-sell feeds: 2,000 SKUs in 3 warehouses, 200 stock changes per second appended to
 * the real inventory stream (Redis), recomputed and pushed to three channels on the commerce
 * simulator (a store per location, a marketplace in batches, an EDI partner as 846 documents)
 * through the MongoDB outbox (FerretDB). Latency from the change's event to the channel's
 * acknowledgement; pushes saved by coalescing.
 */
export const availabilitySuite: Suite = { name: 'availability', run: runAvailability };

async function runAvailability(options: SuiteOptions): Promise<SuiteResult> {
  const started: { stop(): Promise<void> }[] = [];
  try {
    const [redis, ferret, sims] = await Promise.all([
      startRedis(),
      startFerretDb(),
      startServiceProcess({ name: 'simulators', entry: 'simulators/src/main.ts', env: { SIM_ERP_PORT: '0', SIM_WMS_PORT: '0', SIM_COMMERCE_PORT: '0', SIM_SHIPPING_PORT: '0' }, waitFor: ['sim-commerce'] }),
    ]);
    started.push(sims, ferret, redis);
    return await measure(options, redis, ferret, sims, started);
  } finally {
    for (const s of started.splice(0)) await s.stop();
  }
}

async function measure(options: SuiteOptions, redis: BackingService, ferret: BackingService, sims: ServiceProcess, started: { stop(): Promise<void> }[]): Promise<SuiteResult> {
  const commerceUrl = `http://127.0.0.1:${sims.ports['sim-commerce']}`;
  // The store's real REST limit (2 calls/s) could never carry 200 changes/s one call each; the
  // simulator is opened up and the row says so.
  await fetch(`${commerceUrl}/_admin/channel-inventory/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bucketSize: 1_000, leakPerSecond: 2_000 }) });
  const streams = await RedisEventStreams.connect({ url: redis.url, retention: { maxLength: 100_000 } });
  started.unshift({ stop: () => streams.close() });
  const store = await MongoPushStore.connect(ferret.url, { dbName: 'bench_availability' });
  started.unshift({ stop: () => store.close() });
  const skus = Array.from({ length: SKU_COUNT }, (_, i) => `SKU-${String(i + 1).padStart(5, '0')}`);
  const board = new StockBoard(skus, streams);
  let measuring = false;
  const lags: number[] = [];
  const counts = { requests: 0, items: 0, outboxSaved: 0, windowMerged: 0, failures: 0 };
  const feeds = await startAvailabilityFeeds({
    rules: benchRules(),
    atp: board,
    store,
    exceptions: null,
    environment: { env: { COMMERCE_URL: commerceUrl }, partnersDir: join(repoRoot(), 'config', 'partners') },
    streams,
    consumer: 'bench',
    coalesceMs: 200,
    metrics: false,
    log: (message, error) => console.error(message, error instanceof Error ? error.message : ''),
    observer: {
      acknowledged: (_channel, lagMs) => measuring && lags.push(lagMs),
      pushed: (_channel, items) => {
        if (!measuring) return;
        counts.requests += 1;
        counts.items += items;
      },
      coalesced: () => measuring && (counts.outboxSaved += 1),
      merged: () => measuring && (counts.windowMerged += 1),
      failed: () => measuring && (counts.failures += 1),
    },
  });
  started.unshift({ stop: () => feeds.stop() });
  // Every SKU told once before measuring, as a resync would leave it.
  const progress = (step: string) => console.error(`availability bench: ${step} (${new Date().toISOString()}) ${JSON.stringify(feeds.status().map((f) => [f.channel, f.skus, f.waiting, f.inFlight, f.lastFailure]))}`);
  progress('telling every channel every SKU');
  await feeds.engine.recompute(skus);
  await drained(feeds);
  progress('warming up');
  await drive(board, skus, options.warmupSeconds);
  await drained(feeds);
  progress('measuring');
  measuring = true;
  const usage = sampleProcesses({ bench: process.pid, simulators: sims.pid });
  const changes = await drive(board, skus, options.durationSeconds);
  await drained(feeds);
  measuring = false;
  progress('done');
  const used = usage.stop();
  lags.sort((a, b) => a - b);
  const p50 = percentile(lags, 0.5);
  const p99 = percentile(lags, 0.99);
  // Without coalescing, each change would be one figure pushed per channel (one location each);
  // figures not pushed were merged in a window, replaced while waiting, or left unchanged by the rules.
  const naive = changes * 3;
  const measurement: Measurement = {
    subject: 'availability feeds',
    outcome: {
      kind: 'measured',
      load: { requestsPerSecond: counts.requests / options.durationSeconds, latencyP50Ms: p50, latencyP99Ms: p99, totalRequests: counts.requests, non2xx: counts.failures, errors: 0, mismatches: 0, durationSeconds: options.durationSeconds },
      usage: used.bench ?? UNMEASURED_USAGE,
      helpers: { simulators: used.simulators ?? UNMEASURED_USAGE },
    },
  };
  return {
    suite: 'availability',
    title: 'Available-to-sell feeds: change to channel acknowledgement',
    description:
      `${SKU_COUNT} SKUs in ${BENCH_WAREHOUSES.length} warehouses; ${CHANGES_PER_SECOND} stock changes per second (random SKU and warehouse) appended to the inventory stream in a real Redis; the feeds (in the bench process) read them by consumer group, recompute in 200 ms windows, save figures to a real FerretDB, and push to three channels on the commerce simulator (real process): a Shopify-style store per location (one call per SKU and location), a marketplace (batches of 100, 20 requests/s), an EDI partner (846 documents of up to 200 items, 5 per s).`,
    loadDescription: `open loop, ${CHANGES_PER_SECOND} changes/s for ${options.durationSeconds} s after ${options.warmupSeconds} s warm-up`,
    table: {
      headers: ['changes', 'lag p50', 'lag p99', `target p99 < ${TARGET_P99_MS} ms`, 'figures without coalescing', 'figures pushed', 'saved by coalescing (window merges, replaced while waiting)', 'requests (batched)', 'CPU % bench / simulators'],
      rows: [
        [
          String(changes),
          `${p50.toFixed(0)} ms`,
          `${p99.toFixed(0)} ms`,
          p99 < TARGET_P99_MS ? 'met' : 'missed',
          String(naive),
          String(counts.items),
          `${naive - counts.items} (${counts.windowMerged}, ${counts.outboxSaved})`,
          String(counts.requests),
          `${(used.bench?.cpuPercent ?? Number.NaN).toFixed(0)} / ${(used.simulators?.cpuPercent ?? Number.NaN).toFixed(0)}`,
        ],
      ],
    },
    measurements: [measurement],
    notes: [
      'Lag: from the change event’s time (set when it was appended) to the channel’s 2xx for the figure reflecting it; a figure that replaced a waiting one counts from the older change.',
      'The store simulator’s leaky bucket was raised to 1,000 calls / 2,000 per s: at Shopify’s REST limit (40, 2/s) 200 changes/s cannot be told one call at a time; a real store needs the batched GraphQL inventorySetQuantities instead.',
      'The ATP source is an in-process board (the WMS simulator seeds 200 SKUs); changes still travel through the real Redis stream and every figure through FerretDB.',
      `1-minute load average when the run ended: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores; compare rows of one run, not runs.`,
    ],
  };
}

/** Moves stock at CHANGES_PER_SECOND for `seconds`, open loop; answers how many changes were made. */
async function drive(board: StockBoard, skus: readonly string[], seconds: number): Promise<number> {
  const start = Date.now();
  let sent = 0;
  const pending: Promise<void>[] = [];
  while (Date.now() - start < seconds * 1000) {
    const due = Math.floor(((Date.now() - start) / 1000) * CHANGES_PER_SECOND);
    while (sent < due) {
      const sku = skus[Math.floor(Math.random() * skus.length)] ?? 'SKU-00001';
      const warehouse = BENCH_WAREHOUSES[Math.floor(Math.random() * BENCH_WAREHOUSES.length)] ?? 'WH-EAST';
      pending.push(board.move(sku, warehouse, Math.random() < 0.5 ? -3 : 4));
      sent += 1;
    }
    await sleep(5);
  }
  await Promise.all(pending);
  return sent;
}

async function drained(feeds: { status(): { waiting: number; inFlight: number }[]; engine: { idle(): boolean } }): Promise<void> {
  // Give the consumer a moment to pick up the last events before asking whether all is told.
  await sleep(1_000);
  const deadline = Date.now() + 300_000;
  while (!feeds.engine.idle() || feeds.status().some((s) => s.waiting + s.inFlight > 0)) {
    if (Date.now() > deadline) throw new Error('the feeds did not drain within 5 minutes');
    await sleep(100);
  }
}
