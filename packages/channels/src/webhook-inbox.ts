import type { Identity } from '@crossdock/auth';
import type { ExceptionStore, ReplayHandler } from '@crossdock/exceptions';
import { OrderCaptureError, type OrderCapture } from '@crossdock/order-capture';
import { backoffDelayMs, RoundLoop, validateOutboxPolicy, type OutboxPolicy } from '@crossdock/orders';
import type { MappedChannelConfig, ShopifyChannelConfig } from './channel-config';
import type { ChannelLog } from './channel-log';
import { DueWakeup } from './due-wakeup';
import { OrderMapping, PayloadError, readShopifyOrder, shopifyChannelOrder, type ChannelOrder } from './order-payloads';
import type { ChannelStore, WebhookDelivery } from './ports';
import { queuedWebhookSchema } from './webhook-queue';

/** What order capture the inbox needs. */
export type WebhookCapture = Pick<OrderCapture, 'placeOrder' | 'cancelOrder' | 'orders'>;

/** Options of WebhookInbox. */
export interface WebhookInboxOptions {
  store: ChannelStore;
  exceptions: ExceptionStore;
  capture: WebhookCapture;
  shopify: ShopifyChannelConfig | null;
  mapped: readonly MappedChannelConfig[];
  /** Back-off of deliveries whose processing failed for a passing reason (order capture unavailable); they are tried until they go through. */
  policy: OutboxPolicy;
  /**
   * The safety poll: how often due deliveries are looked for when nothing woke the inbox. The
   * queue's drain wakes it for new deliveries and this process's retries wake it at their due
   * time; the poll finds what other replicas or a crash left.
   */
  intervalMs: number;
  batchSize?: number;
  /**
   * Deliveries processed at once (default 4). Kept low on purpose: each is a placeOrder, and a
   * backlog worked off at full width would take the CPU the acknowledgements of new webhooks need
   * (they no longer share the database: the door only writes to Redis, see WebhookReception).
   */
  concurrency?: number;
  log?: ChannelLog;
}

/**
 * Store webhooks, processed durably after they were acknowledged: the door (WebhookReception)
 * verified and queued each one, the queue drain stored it in MongoDB under its delivery id, and
 * this worker loop processes the stored deliveries, surviving crashes (an unfinished delivery is
 * claimed again). The order's own id is the placeOrder idempotency key, so the same order in two
 * different deliveries is still one order.
 */
export class WebhookInbox {
  private mappings: ReadonlyMap<string, { config: MappedChannelConfig; mapping: OrderMapping }>;
  private shopify: ShopifyChannelConfig | null;
  private readonly loop: RoundLoop;
  private readonly retries: DueWakeup;

  constructor(private readonly options: WebhookInboxOptions) {
    validateOutboxPolicy(options.policy);
    this.mappings = compiledMappings(options.mapped);
    this.shopify = options.shopify;
    this.loop = new RoundLoop({
      // A full batch means more may be waiting: the next round follows at once.
      round: async () => {
        const count = await this.runOnce().catch((error: unknown) => {
          this.options.log?.({ level: 'error', message: 'webhook inbox round failed; trying again', error });
          return 0;
        });
        return count >= (this.options.batchSize ?? 16);
      },
      intervalMs: options.intervalMs,
    });
    this.retries = new DueWakeup(() => this.loop.wake());
  }

  /**
   * Takes changed channel files (watchStoreChannelFiles): deliveries processed from now on use
   * them. Every mapping is compiled first; one that does not compile throws and nothing changes.
   */
  replaceChannels(channels: { shopify: ShopifyChannelConfig | null; mapped: readonly MappedChannelConfig[] }): void {
    this.mappings = compiledMappings(channels.mapped);
    this.shopify = channels.shopify;
  }

  /** Names of the mapped channels served (`/webhooks/channels/<name>/orders`). */
  get mappedChannels(): string[] {
    return [...this.mappings.keys()];
  }

  /** One round of the worker: every due delivery it could claim, processed. */
  async runOnce(now = new Date()): Promise<number> {
    const due = await this.options.store.claimDueWebhooks(now, this.options.batchSize ?? 16);
    const queue = [...due];
    const lane = async () => {
      for (let delivery = queue.shift(); delivery; delivery = queue.shift()) await this.process(delivery);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, queue.length) }, lane));
    return due.length;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.retries.clear();
    await this.loop.stop();
  }

  /** Replay of a `malformed-webhook` exception: the stored delivery is processed again (with today's config). */
  replayHandler(): ReplayHandler {
    return async (exception) => {
      const delivery = await this.options.store.webhook(exception.subject);
      if (!delivery) {
        // An accepted delivery the queue could not hand over: its exception holds the queued entry.
        const queued = queuedDelivery(exception.rawPayload, exception.subject);
        if (!queued) return { replayed: false, reason: `no stored delivery ${exception.subject}: it was refused at the door (bad signature or no id), or its queue entry could not be read; the sender must send it again` };
        await this.options.store.enqueueWebhook({ ...queued, state: 'PENDING', attempts: 0, nextAttemptAt: new Date().toISOString(), lastError: null, outcome: null, replays: 0 });
        this.wake();
        return { replayed: true, note: `delivery ${queued.id} stored in the inbox and queued for processing` };
      }
      await this.options.store.updateWebhook({ ...delivery, state: 'PENDING', attempts: 0, nextAttemptAt: new Date().toISOString(), lastError: null, replays: delivery.replays + 1 });
      this.wake();
      return { replayed: true, note: `delivery ${delivery.id} queued for processing again` };
    };
  }

  /** Runs a round soon, so an acknowledged webhook is worked on at once rather than at the next interval. */
  wake(): void {
    this.loop.wake();
  }

  private async process(delivery: WebhookDelivery): Promise<void> {
    const attempts = delivery.attempts + 1;
    try {
      const outcome = await this.apply(delivery);
      await this.options.store.updateWebhook({ ...delivery, attempts, state: 'DONE', outcome, lastError: null });
    } catch (error) {
      await this.failed(delivery, attempts, error);
    }
  }

  /** What the delivery asks for, done; throws PayloadError (bad data) or OrderCaptureError (try later). */
  private async apply(delivery: WebhookDelivery): Promise<string> {
    const channel = delivery.source === 'shopify' ? (this.shopify?.channel ?? 'web') : (this.mappings.get(delivery.source)?.config.channel ?? 'marketplace');
    const identity: Identity = { subject: `webhook:${delivery.source}`, scopes: ['orders:write'], customerId: null, channel };
    if (delivery.topic === 'orders/cancelled') return this.cancel(delivery, identity);
    const order = await this.channelOrder(delivery);
    const key = `${delivery.source}:${order.externalRef}`;
    if (delivery.replays > 0) {
      const earlier = await this.options.capture.orders.getByIdempotencyKey(`${channel}:${key}`);
      if (earlier) return `order ${earlier.id} (placed before)`;
    }
    const placed = await this.options.capture.placeOrder(identity, {
      idempotencyKey: delivery.replays > 0 ? `${key}#replay-${delivery.replays}` : key,
      channel,
      externalRef: order.externalRef,
      customerId: order.customerId,
      lines: order.lines,
    });
    if (placed.order) return `order ${placed.order.id}`;
    throw new PayloadError(`order ${order.externalRef} refused: ${placed.errors.map((e) => `${e.code} ${e.message}${e.field ? ` at ${e.field.join('.')}` : ''}`).join('; ')}`);
  }

  private async channelOrder(delivery: WebhookDelivery): Promise<ChannelOrder> {
    const shopify = this.shopify;
    if (delivery.source === 'shopify' && shopify) return shopifyChannelOrder(readShopifyOrder(delivery.rawBody), shopify);
    const mapped = this.mappings.get(delivery.source);
    if (!mapped) throw new PayloadError(`channel ${delivery.source} is no longer configured`);
    return mapped.mapping.apply(delivery.rawBody);
  }

  private async cancel(delivery: WebhookDelivery, identity: Identity): Promise<string> {
    const { id } = readShopifyOrder(delivery.rawBody);
    const order = await this.options.capture.orders.getByIdempotencyKey(`${identity.channel ?? 'web'}:${delivery.source}:${id}`);
    if (!order) throw new PayloadError(`order ${id} was never captured here, so it cannot be cancelled`);
    if (order.status === 'CANCELLED') return `order ${order.id} already cancelled`;
    const result = await this.options.capture.cancelOrder(identity, order.id, `cancelled in ${delivery.source}`);
    if (result.errors.length > 0) throw new PayloadError(`cancel of ${order.id} refused: ${result.errors.map((e) => e.message).join('; ')}`);
    return `order ${order.id} cancelled`;
  }

  /**
   * Bad data (PayloadError: unreadable, unknown item, refused by placeOrder) is the sender's to
   * fix: a `malformed-webhook` exception with the raw body. Anything else (order capture or a
   * backend unavailable, a timeout, a store error) is passing and not the sender's fault: tried
   * again with back-off (capped at the policy's maximum delay) until it goes through, never
   * filed as malformed.
   */
  private async failed(delivery: WebhookDelivery, attempts: number, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof PayloadError || (error instanceof OrderCaptureError && error.code === 'FORBIDDEN');
    const now = new Date();
    const nextAttemptAt = new Date(now.getTime() + backoffDelayMs(attempts, this.options.policy)).toISOString();
    await this.options.store.updateWebhook({ ...delivery, attempts, state: permanent ? 'FAILED' : 'PENDING', nextAttemptAt, lastError: message });
    if (permanent) {
      await this.reject(delivery.id, null, message, delivery.rawBody, attempts);
      return;
    }
    this.retries.at(nextAttemptAt);
    this.options.log?.({ level: 'warn', message: `webhook ${delivery.id} could not be processed now (attempt ${attempts}); retrying at ${nextAttemptAt}`, error });
  }

  private async reject(subject: string, channel: string | null, reason: string, rawPayload: string, attempts = 1): Promise<void> {
    await this.options.exceptions.record({ kind: 'malformed-webhook', subject, channel, reason, rawPayload, attempts });
  }
}

function compiledMappings(mapped: readonly MappedChannelConfig[]): Map<string, { config: MappedChannelConfig; mapping: OrderMapping }> {
  return new Map(mapped.map((config) => [config.name, { config, mapping: new OrderMapping(config.name, config.expression) }]));
}

/** The accepted queue entry an exception's raw payload holds (WebhookQueueDrain gave up on it), if it is one and is `id`. */
function queuedDelivery(rawPayload: string, id: string): Pick<WebhookDelivery, 'id' | 'source' | 'topic' | 'rawBody' | 'receivedAt'> | null {
  let value: unknown;
  try {
    value = JSON.parse(rawPayload);
  } catch {
    return null;
  }
  const parsed = queuedWebhookSchema.safeParse(value);
  if (!parsed.success || parsed.data.kind !== 'accepted' || parsed.data.id !== id) return null;
  const { source, topic, rawBody, receivedAt } = parsed.data;
  return { id, source, topic, rawBody, receivedAt };
}
