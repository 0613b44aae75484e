import { afterAll, beforeAll } from '@jest/globals';
import type { Identity } from '@crossdock/auth';
import { ChannelIntake, loadChannelConfig, MemoryChannelStore, MongoChannelStore, RedisWebhookQueue, type ChannelConfig, type ChannelStore, type WebhookQueue } from '@crossdock/channels';
import { ShippingHttpConnector } from '@crossdock/connectors';
import { ExceptionReplayer } from '@crossdock/exceptions';
import { createLogger, createSubgraphServer } from '@crossdock/service';
import { startShippingSimulator, type RunningSimulator } from '@crossdock/simulators';
import { repoRoot, startFerretDb, startRedis, type BackingService } from '@crossdock/testkit';
import type { FormattedExecutionResult } from 'graphql';
import { join } from 'node:path';
import { createChannelIntake } from '../src/channel-wiring';
import { createCommerceContext, type CommerceContext } from '../src/context';
import { buildCommerceSchema } from '../src/server';
import { realStores, startCaptureHarness, type CaptureHarness, type CaptureStores } from './capture-harness';

/** Webhook secrets the tests sign with (the channel files name these variables). */
export const TEST_SECRETS = { SHOPIFY_WEBHOOK_SECRET: 'shopify-test-secret', TRADEWIND_WEBHOOK_SECRET: 'tradewind-test-secret' };

/** The repository's partner and channel files, with the test secrets. */
export function repoChannelConfig(): ChannelConfig {
  return loadChannelConfig(join(repoRoot(), 'config'), TEST_SECRETS);
}

/** Order capture over real simulators plus the channel intake, as the commerce service wires them. */
export interface ChannelHarness {
  capture: CaptureHarness;
  channels: ChannelIntake;
  store: ChannelStore;
  /** Where acknowledged webhooks wait for the inbox. */
  webhookQueue: WebhookQueue;
  shippingSim: RunningSimulator;
  /** Replays exceptions with the handlers the service gives order capture's replayer. */
  replayer: ExceptionReplayer;
  /** Runs an operation against the commerce schema with this intake in the context. */
  run<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, caller?: Identity | null): Promise<FormattedExecutionResult<TData>>;
  /**
   * A second intake over the same stores with other configuration (a partner file fixed
   * meanwhile), started once the first one stopped: nothing the first took is left to the
   * second's safety poll, which is longer than any test.
   */
  reconfigure(config: ChannelConfig): Promise<ChannelIntake>;
  close(): Promise<void>;
}

let channelDatabases = 0;

/** A channel store: in process, or on the MongoDB-protocol server at `mongoUrl`. */
export async function openChannelStore(mongoUrl: string | null): Promise<ChannelStore> {
  if (mongoUrl === null) return new MemoryChannelStore();
  return MongoChannelStore.connect(mongoUrl, { dbName: `channel_${process.pid}_${(channelDatabases += 1)}`, serverSelectionTimeoutMS: 2_000 });
}

export async function startChannelHarness(options: { stores: () => Promise<CaptureStores>; channelStore: () => Promise<ChannelStore>; webhookQueue: () => Promise<WebhookQueue>; config?: ChannelConfig }): Promise<ChannelHarness> {
  const capture = await startCaptureHarness({ stores: options.stores, background: true });
  const shippingSim = await startShippingSimulator({ port: 0 });
  const shipping = new ShippingHttpConnector({ baseUrl: shippingSim.url });
  const store = await options.channelStore();
  const webhookQueue = await options.webhookQueue();
  const logger = createLogger('channel-test', 'silent');
  // The loops' safety polls are longer than any test: every step here must be started by the work
  // itself (a new webhook or document, a retry falling due), as in production, where the polls
  // only find what another replica or a crash left.
  const policy = { webhookIntervalMs: 60_000, webhookClaimIdleMs: 300, deliveryIntervalMs: 60_000, retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 } };
  const build = (config: ChannelConfig) =>
    createChannelIntake(capture.capture, { erp: capture.erp, wms: capture.wms, exceptions: capture.capture.exceptions }, { config, store, webhookQueue, shipping, policy }, logger);
  let channels = build(options.config ?? repoChannelConfig());
  channels.start();
  const server = createSubgraphServer<CommerceContext>(buildCommerceSchema());
  await server.start();
  return {
    capture,
    get channels() {
      return channels;
    },
    store,
    webhookQueue,
    shippingSim,
    replayer: new ExceptionReplayer({ store: capture.capture.exceptions, handlers: ChannelIntake.deferredReplayHandlers(() => channels) }),
    async run<TData>(query: string, variables?: Record<string, unknown>, caller: Identity | null = null) {
      const response = await server.executeOperation<TData>(
        { query, ...(variables ? { variables } : {}) },
        { contextValue: createCommerceContext({ commerce: capture.commerce, capture: capture.capture, channels }, caller) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult;
    },
    async reconfigure(config) {
      await channels.stop();
      channels = build(config);
      channels.start();
      return channels;
    },
    async close() {
      await channels.stop();
      await server.stop();
      await store.close();
      await webhookQueue.close();
      await shipping.close();
      await shippingSim.close();
      await capture.close();
    },
  };
}

/**
 * The harness of a test file on a real Redis and FerretDB, started before its tests and stopped
 * after them: `const harness = useRealChannelHarness();` then `harness()` inside the tests.
 */
export function useRealChannelHarness(): () => ChannelHarness {
  let redis: BackingService | undefined;
  let ferret: BackingService | undefined;
  let harness: ChannelHarness | undefined;
  beforeAll(async () => {
    [redis, ferret] = await Promise.all([startRedis(), startFerretDb()]);
    const mongoUrl = ferret.url;
    const redisUrl = redis.url;
    harness = await startChannelHarness({
      stores: () => realStores(redisUrl, mongoUrl),
      channelStore: () => openChannelStore(mongoUrl),
      webhookQueue: () => RedisWebhookQueue.connect({ url: redisUrl, keyPrefix: `test-webhooks-${process.pid}:` }),
    });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await Promise.all([redis?.stop(), ferret?.stop()]);
  });
  return () => {
    if (!harness) throw new Error('the channel harness is not started (beforeAll failed?)');
    return harness;
  };
}
