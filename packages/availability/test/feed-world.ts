import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WmsHttpConnector } from '@crossdock/connectors';
import { MongoExceptionStore } from '@crossdock/exceptions';
import { repoRoot, startFerretDb, startServiceProcess, type BackingService, type ServiceProcess } from '@crossdock/testkit';
import type { EventStreams } from '@crossdock/events';
import {
  MongoPushStore,
  parseChannelRules,
  positionAtp,
  startAvailabilityFeeds,
  startAvailabilityRunner,
  type AvailabilityFeeds,
  type AvailabilityFeedsOptions,
  type AvailabilityRunner,
  type AvailabilityRunnerOptions,
  type ChangeSource,
  type ChannelRules,
  type PositionAtpOptions,
} from '../src';

/** What a test may add to the feeds' options. */
export interface FeedExtras {
  coalesceMs?: number;
  catalog?: () => Promise<string[]>;
  /** The event bus the feeds follow (default: none; tests touch the engine). */
  streams?: EventStreams | null;
  sources?: ChangeSource[];
  consumer?: string;
  observer?: AvailabilityFeedsOptions['observer'];
  /** The hub's pending reservations counted into ATP (default: none). */
  pending?: PositionAtpOptions['pending'];
  /** Where the feeds write what the channels acknowledged (default: none; the runner: in process). */
  board?: AvailabilityFeedsOptions['board'];
}

/** What a test may add to a runner's options. */
export type RunnerExtras = FeedExtras & Pick<AvailabilityRunnerOptions, 'lease' | 'rulesDir' | 'reloadDebounceMs' | 'onRulesChange' | 'resyncStreams' | 'resyncWaitMs' | 'retryMs'>;

/** What the commerce simulator shows it was told (GET /_admin/channel-inventory). */
export interface ChannelInventoryView {
  levels: { sku: string; location_id: number; available: number; sets: number }[];
  marketplaces: Record<string, { sku: string; quantity: number; sequence: number; updates: number }[]>;
  edi: Record<string, string[]>;
  throttled: number;
}

/** The three channels of the tests: a store per location, a marketplace, an EDI partner; shares sum to 100. */
export function testRules(overrides: Partial<Record<'web' | 'marketplace' | 'edi', Record<string, unknown>>> = {}): ChannelRules[] {
  return [
    parseChannelRules({
      channel: 'web',
      perLocation: true,
      sharePercent: 50,
      bufferUnits: 1,
      rateLimit: { requestsPerSecond: 200, burst: 50 },
      connector: { kind: 'shopify', urlEnv: 'COMMERCE_URL', locations: { 'WH-EAST': 1001, 'WH-CENTRAL': 1002 } },
      ...overrides.web,
    }),
    parseChannelRules({ channel: 'marketplace', sharePercent: 30, maxListed: 100, rateLimit: { requestsPerSecond: 200, burst: 50 }, connector: { kind: 'marketplace', urlEnv: 'COMMERCE_URL', name: 'tradewind-market' }, ...overrides.marketplace }),
    parseChannelRules({ channel: 'edi', sharePercent: 20, floorUnits: 2, rateLimit: { requestsPerSecond: 200, burst: 50 }, connector: { kind: 'edi-846', urlEnv: 'COMMERCE_URL', partner: 'acme-retail' }, ...overrides.edi }),
  ];
}

/**
 * Real simulators (one process: the WMS for ATP, the commerce simulator for the channels) and a
 * real FerretDB for the feeds' outbox and the exception store, for one test file; each test gets
 * fresh simulator state and a fresh database.
 */
export function useFeedWorld() {
  let sims: ServiceProcess | undefined;
  let ferret: BackingService | undefined;
  let database = 0;
  const running: { stop(): Promise<void> }[] = [];
  beforeAll(async () => {
    [sims, ferret] = await Promise.all([
      startServiceProcess({ name: 'simulators', entry: 'simulators/src/main.ts', env: { SIM_ERP_PORT: '0', SIM_WMS_PORT: '0', SIM_COMMERCE_PORT: '0', SIM_SHIPPING_PORT: '0' }, waitFor: ['sim-wms', 'sim-commerce'] }),
      startFerretDb(),
    ]);
  });
  beforeEach(async () => {
    database += 1;
    await Promise.all([post(url('sim-wms'), '/_admin/reset', {}), post(url('sim-commerce'), '/_admin/reset', {}), post(url('sim-commerce'), '/_admin/fault', { mode: 'none' })]);
  });
  afterAll(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
    await Promise.all([sims?.stop(), ferret?.stop()]);
  });
  const url = (service: 'sim-wms' | 'sim-commerce') => {
    const port = sims?.ports[service];
    if (!port) throw new Error('the simulators are not started (use inside a test)');
    return `http://127.0.0.1:${port}`;
  };
  const wms = () => new WmsHttpConnector({ baseUrl: url('sim-wms') });
  const stores = async () => {
    const mongoUrl = ferret?.url;
    if (!mongoUrl) throw new Error('FerretDB is not started');
    const dbName = `availability_${process.pid}_${database}`;
    const [store, exceptions] = await Promise.all([MongoPushStore.connect(mongoUrl, { dbName }), MongoExceptionStore.connect(mongoUrl, { dbName })]);
    running.push({ stop: () => store.close() }, { stop: () => exceptions.close() });
    return { store, exceptions };
  };
  /** Opens this test's stores (same database on every call within a test); the feeds' options over them and the simulators. */
  const feedOptions = async (rules: ChannelRules[], extra: FeedExtras) => {
    const opened = await stores();
    const connector = wms();
    const options: AvailabilityFeedsOptions = {
      rules,
      atp: positionAtp({ positions: (skus) => connector.positionsBySkus(skus), pending: extra.pending ?? null }),
      store: opened.store,
      exceptions: opened.exceptions,
      environment: { env: { COMMERCE_URL: url('sim-commerce') }, partnersDir: join(repoRoot(), 'config', 'partners') },
      coalesceMs: extra.coalesceMs ?? 100,
      catalog: extra.catalog,
      streams: extra.streams ?? null,
      sources: extra.sources,
      consumer: extra.consumer,
      observer: extra.observer,
      board: extra.board,
      metrics: false,
      log: () => undefined,
    };
    return { options, opened };
  };
  /** Stopped by afterAll unless the test stopped it; stopping twice is harmless. */
  const stopOnce = (stop: () => Promise<void>) => {
    let stopped: Promise<void> | null = null;
    const once = () => (stopped ??= stop());
    running.push({ stop: once });
    return once;
  };
  return {
    url,
    wms,
    /** This file's FerretDB (to kill and restart it in a fault drill). */
    ferret: () => {
      if (!ferret) throw new Error('FerretDB is not started');
      return ferret;
    },
    /** Starts the feeds over this test's stores. */
    async start(rules: ChannelRules[] = testRules(), extra: FeedExtras = {}): Promise<AvailabilityFeeds & { stores: Awaited<ReturnType<typeof stores>> }> {
      const { options, opened } = await feedOptions(rules, extra);
      const feeds = await startAvailabilityFeeds(options);
      return { ...feeds, stop: stopOnce(feeds.stop), stores: opened };
    },
    /** Starts a runner (lease, rules folder) over this test's stores, as a WMS replica runs the feeds. */
    async startRunner(rules: ChannelRules[], extra: RunnerExtras): Promise<AvailabilityRunner & { stores: Awaited<ReturnType<typeof stores>> }> {
      const { options, opened } = await feedOptions(rules, extra);
      const { lease, rulesDir, reloadDebounceMs, onRulesChange, resyncStreams, resyncWaitMs, retryMs } = extra;
      const runner = await startAvailabilityRunner({ ...options, lease, rulesDir, reloadDebounceMs, onRulesChange, resyncStreams, resyncWaitMs, retryMs });
      const stopRunner = runner.stop.bind(runner);
      return Object.assign(runner, { stop: stopOnce(stopRunner), stores: opened });
    },
    /** A receipt or count in the WMS. */
    adjust: (sku: string, warehouseId: string, delta: number) => post(url('sim-wms'), '/_admin/adjust', { sku, warehouseId, delta }),
    channelInventory: async (): Promise<ChannelInventoryView> => (await (await fetch(`${url('sim-commerce')}/_admin/channel-inventory`)).json()) as ChannelInventoryView, // the simulator's documented admin shape
    fault: (mode: 'none' | 'down' | 'slow', latencyMs?: number) => post(url('sim-commerce'), '/_admin/fault', { mode, latencyMs }),
    limits: (bucketSize: number, leakPerSecond: number) => post(url('sim-commerce'), '/_admin/channel-inventory/limits', { bucketSize, leakPerSecond }),
  };
}

async function post(base: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${await response.text()}`);
}

/** Polls until `check` returns a value (not undefined), or fails with what it last saw. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
