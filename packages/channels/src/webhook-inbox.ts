import { createHash } from 'node:crypto';
import type { Identity } from '@crossdock/auth';
import type { ExceptionStore, ReplayHandler } from '@crossdock/exceptions';
import { OrderCaptureError, type OrderCapture } from '@crossdock/order-capture';
import { decideRetry, RoundLoop, validateOutboxPolicy, type OutboxPolicy } from '@crossdock/orders';
import type { MappedChannelConfig, ShopifyChannelConfig } from './channel-config';
import type { ChannelLog } from './channel-log';
import { OrderMapping, PayloadError, readShopifyOrder, shopifyChannelOrder, type ChannelOrder } from './order-payloads';
import type { ChannelStore, WebhookDelivery } from './ports';
import { verifyWebhookSignature } from './webhook-signature';

/** What order capture the inbox needs. */
export type WebhookCapture = Pick<OrderCapture, 'placeOrder' | 'cancelOrder' | 'orders'>;

/** Shopify topics taken. */
export const SHOPIFY_TOPICS = ['orders/create', 'orders/cancelled'] as const;
export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

/** The HTTP answer to a webhook: sent at once, before any order work. */
export interface WebhookReceipt {
  status: 200 | 202 | 400 | 401 | 404;
  body: { status: 'accepted' | 'duplicate' | 'rejected'; deliveryId: string | null; code?: string; message?: string };
}

/** Options of WebhookInbox. */
export interface WebhookInboxOptions {
  store: ChannelStore;
  exceptions: ExceptionStore;
  capture: WebhookCapture;
  shopify: ShopifyChannelConfig | null;
  mapped: readonly MappedChannelConfig[];
  /** Retries of deliveries whose processing failed for a passing reason (order capture unavailable). */
  policy: OutboxPolicy;
  intervalMs: number;
  batchSize?: number;
  /**
   * Deliveries processed at once (default 4). Kept low on purpose: each is a placeOrder, and a
   * backlog worked off at full width would starve the acknowledgements of new webhooks, which
   * share the same database.
   */
  concurrency?: number;
  log?: ChannelLog;
}

/** Header names, lower-case as node:http gives them. */
type Headers = Record<string, string | string[] | undefined>;

/**
 * Store webhooks, answered fast and processed durably: a webhook is verified (HMAC-SHA256 of the
 * raw body, constant time), stored in MongoDB under its delivery id (a redelivery is recognised
 * there), acknowledged, and only then processed by the worker loop, which survives crashes (an
 * unfinished delivery is claimed again). The order's own id is the placeOrder idempotency key, so
 * the same order in two different deliveries is still one order.
 */
export class WebhookInbox {
  private readonly mappings = new Map<string, { config: MappedChannelConfig; mapping: OrderMapping }>();
  private readonly loop: RoundLoop;

  constructor(private readonly options: WebhookInboxOptions) {
    validateOutboxPolicy(options.policy);
    for (const config of options.mapped) this.mappings.set(config.name, { config, mapping: new OrderMapping(config.name, config.expression) });
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
  }

  /** Names of the mapped channels served (`/webhooks/channels/<name>/orders`). */
  get mappedChannels(): string[] {
    return [...this.mappings.keys()];
  }

  async receiveShopify(topic: string, rawBody: Buffer, headers: Headers): Promise<WebhookReceipt> {
    const config = this.options.shopify;
    if (!config) return refused(404, null, 'NOT_FOUND', 'no Shopify store is configured');
    if (!SHOPIFY_TOPICS.includes(topic as ShopifyTopic)) return refused(404, null, 'NOT_FOUND', `topic ${topic} is not taken`);
    const deliveryId = header(headers, 'x-shopify-webhook-id');
    return this.receive({ source: 'shopify', topic, rawBody, deliveryId, signature: header(headers, 'x-shopify-hmac-sha256'), secret: config.secret, channel: config.channel });
  }

  async receiveMapped(name: string, rawBody: Buffer, headers: Headers): Promise<WebhookReceipt> {
    const entry = this.mappings.get(name);
    if (!entry) return refused(404, null, 'NOT_FOUND', `no channel ${name} is configured`);
    const { config } = entry;
    return this.receive({
      source: name,
      topic: 'orders/create',
      rawBody,
      deliveryId: header(headers, config.deliveryIdHeader),
      signature: header(headers, config.signatureHeader),
      secret: config.secret,
      channel: config.channel,
    });
  }

  private async receive(input: { source: string; topic: string; rawBody: Buffer; deliveryId: string | undefined; signature: string | undefined; secret: string; channel: string }): Promise<WebhookReceipt> {
    const text = input.rawBody.toString('utf8');
    const subject = `${input.source}:${input.deliveryId ?? `body-${createHash('sha256').update(input.rawBody).digest('hex').slice(0, 16)}`}`;
    if (!verifyWebhookSignature(input.rawBody, input.signature, input.secret)) {
      await this.reject(subject, input.channel, 'the HMAC-SHA256 signature does not match the body (wrong secret, or the body was altered)', text);
      return refused(401, input.deliveryId ?? null, 'INVALID_SIGNATURE', 'the webhook signature does not match its body');
    }
    if (!input.deliveryId) {
      await this.reject(subject, input.channel, 'no delivery id header: a redelivery could not be recognised', text);
      return refused(400, null, 'MISSING_DELIVERY_ID', 'the webhook carries no delivery id');
    }
    const now = new Date().toISOString();
    const delivery: WebhookDelivery = { id: subject, source: input.source, topic: input.topic, rawBody: text, receivedAt: now, state: 'PENDING', attempts: 0, nextAttemptAt: now, lastError: null, outcome: null, replays: 0 };
    const stored = await this.options.store.enqueueWebhook(delivery);
    if (stored === 'exists') return { status: 200, body: { status: 'duplicate', deliveryId: input.deliveryId } };
    this.wake();
    return { status: 202, body: { status: 'accepted', deliveryId: input.deliveryId } };
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
    await this.loop.stop();
  }

  /** Replay of a `malformed-webhook` exception: the stored delivery is processed again (with today's config). */
  replayHandler(): ReplayHandler {
    return async (exception) => {
      const delivery = await this.options.store.webhook(exception.subject);
      if (!delivery) return { replayed: false, reason: `no stored delivery ${exception.subject}: it was refused at the door (bad signature or no id); the sender must send it again` };
      await this.options.store.updateWebhook({ ...delivery, state: 'PENDING', attempts: 0, nextAttemptAt: new Date().toISOString(), lastError: null, replays: delivery.replays + 1 });
      this.wake();
      return { replayed: true, note: `delivery ${delivery.id} queued for processing again` };
    };
  }

  /** Runs a round soon, so an acknowledged webhook is worked on at once rather than at the next interval. */
  private wake(): void {
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
    const channel = delivery.source === 'shopify' ? (this.options.shopify?.channel ?? 'web') : (this.mappings.get(delivery.source)?.config.channel ?? 'marketplace');
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
    const shopify = this.options.shopify;
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

  private async failed(delivery: WebhookDelivery, attempts: number, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const transient = error instanceof OrderCaptureError;
    const decision = decideRetry({ attempts, permanent: !transient, policy: this.options.policy, maxPermanentAttempts: 1, now: new Date() });
    await this.options.store.updateWebhook({ ...delivery, attempts, state: decision.giveUp ? 'FAILED' : 'PENDING', nextAttemptAt: decision.nextAttemptAt.toISOString(), lastError: message });
    if (decision.giveUp) await this.reject(delivery.id, null, message, delivery.rawBody, attempts);
    else this.options.log?.({ level: 'warn', message: `webhook ${delivery.id} failed; retrying at ${decision.nextAttemptAt.toISOString()}`, error });
  }

  private async reject(subject: string, channel: string | null, reason: string, rawPayload: string, attempts = 1): Promise<void> {
    await this.options.exceptions.record({ kind: 'malformed-webhook', subject, channel, reason, rawPayload, attempts });
  }
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function refused(status: 400 | 401 | 404, deliveryId: string | null, code: string, message: string): WebhookReceipt {
  return { status, body: { status: 'rejected', deliveryId, code, message } };
}
