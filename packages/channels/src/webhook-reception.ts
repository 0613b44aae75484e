import { createHash } from 'node:crypto';
import type { MappedChannelConfig, ShopifyChannelConfig } from './channel-config';
import { verifyWebhookSignature } from './webhook-signature';
import type { WebhookQueue } from './webhook-queue';

/** Shopify topics taken. */
export const SHOPIFY_TOPICS = ['orders/create', 'orders/cancelled'] as const;
export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

/** The HTTP answer to a webhook: sent at once, before any order work. */
export interface WebhookReceipt {
  status: 200 | 202 | 400 | 401 | 404;
  body: { status: 'accepted' | 'duplicate' | 'rejected'; deliveryId: string | null; code?: string; message?: string };
}

/** The store channels a door takes webhooks for (channel-config's `shopify` and `mapped`). */
export interface WebhookChannels {
  shopify: ShopifyChannelConfig | null;
  mapped: readonly MappedChannelConfig[];
}

/** Header names, lower-case as node:http gives them. */
type Headers = Record<string, string | string[] | undefined>;

/**
 * The webhook door: checks a store's webhook (HMAC-SHA256 of the raw body, constant time; a
 * delivery id to recognise redeliveries by) and answers it once the delivery is in the durable
 * queue, so an acknowledgement costs a hash and one Redis round trip, whatever the order work
 * behind it. The same door runs in the gateway (when it has the channels' secrets) and in the
 * commerce subgraph (all-in-one, or a gateway without them); the commerce inbox takes the queue.
 */
export class WebhookReception {
  private mapped: ReadonlyMap<string, MappedChannelConfig>;

  constructor(
    private channels: WebhookChannels,
    private readonly queue: WebhookQueue,
  ) {
    this.mapped = new Map(channels.mapped.map((config) => [config.name, config]));
  }

  /** Takes changed channel files (watchStoreChannelFiles): webhooks from now on are checked against them. */
  replace(channels: WebhookChannels): void {
    this.mapped = new Map(channels.mapped.map((config) => [config.name, config]));
    this.channels = channels;
  }

  /** Whether this door takes webhooks at `/webhooks/<rest>` (else, in the gateway, commerce does). */
  serves(rest: string): boolean {
    const route = webhookRoute(rest);
    if (route?.kind === 'shopify') return this.channels.shopify !== null;
    return route?.kind === 'mapped' && this.mapped.has(route.name);
  }

  /** Answers a POST to `/webhooks/<rest>` (`shopify/orders/create`, `channels/<name>/orders`, …). */
  receive(rest: string, rawBody: Buffer, headers: Headers): Promise<WebhookReceipt> {
    const route = webhookRoute(rest);
    if (route?.kind === 'shopify') return this.receiveShopify(route.topic, rawBody, headers);
    if (route?.kind === 'mapped') return this.receiveMapped(route.name, rawBody, headers);
    return Promise.resolve(refused(404, null, 'NOT_FOUND', `no webhook intake at /webhooks/${rest}`));
  }

  async receiveShopify(topic: string, rawBody: Buffer, headers: Headers): Promise<WebhookReceipt> {
    const config = this.channels.shopify;
    if (!config) return refused(404, null, 'NOT_FOUND', 'no Shopify store is configured');
    if (!SHOPIFY_TOPICS.includes(topic as ShopifyTopic)) return refused(404, null, 'NOT_FOUND', `topic ${topic} is not taken`);
    return this.check({ source: 'shopify', topic, rawBody, deliveryId: header(headers, 'x-shopify-webhook-id'), signature: header(headers, 'x-shopify-hmac-sha256'), secret: config.secret, channel: config.channel });
  }

  async receiveMapped(name: string, rawBody: Buffer, headers: Headers): Promise<WebhookReceipt> {
    const config = this.mapped.get(name);
    if (!config) return refused(404, null, 'NOT_FOUND', `no channel ${name} is configured`);
    return this.check({
      source: name,
      topic: 'orders/create',
      rawBody,
      deliveryId: header(headers, config.deliveryIdHeader),
      signature: header(headers, config.signatureHeader),
      secret: config.secret,
      channel: config.channel,
    });
  }

  private async check(input: { source: string; topic: string; rawBody: Buffer; deliveryId: string | undefined; signature: string | undefined; secret: string; channel: string }): Promise<WebhookReceipt> {
    const rawBody = input.rawBody.toString('utf8');
    const receivedAt = new Date().toISOString();
    const id = `${input.source}:${input.deliveryId ?? `body-${createHash('sha256').update(input.rawBody).digest('hex').slice(0, 16)}`}`;
    if (!verifyWebhookSignature(input.rawBody, input.signature, input.secret)) {
      await this.queue.appendRefused({ kind: 'refused', id, channel: input.channel, reason: 'the HMAC-SHA256 signature does not match the body (wrong secret, or the body was altered)', rawBody, receivedAt });
      return refused(401, input.deliveryId ?? null, 'INVALID_SIGNATURE', 'the webhook signature does not match its body');
    }
    if (!input.deliveryId) {
      await this.queue.appendRefused({ kind: 'refused', id, channel: input.channel, reason: 'no delivery id header: a redelivery could not be recognised', rawBody, receivedAt });
      return refused(400, null, 'MISSING_DELIVERY_ID', 'the webhook carries no delivery id');
    }
    const stored = await this.queue.appendOnce({ kind: 'accepted', id, source: input.source, topic: input.topic, rawBody, receivedAt });
    if (stored === 'exists') return { status: 200, body: { status: 'duplicate', deliveryId: input.deliveryId } };
    return { status: 202, body: { status: 'accepted', deliveryId: input.deliveryId } };
  }
}

type WebhookRoute = { kind: 'shopify'; topic: string } | { kind: 'mapped'; name: string };

/** `shopify/orders/create` → Shopify's topic; `channels/<name>/orders` → a mapped channel; else null. */
function webhookRoute(rest: string): WebhookRoute | null {
  const shopify = /^shopify\/(orders\/[a-z_]+)$/.exec(rest);
  if (shopify?.[1]) return { kind: 'shopify', topic: shopify[1] };
  const mapped = /^channels\/([a-z0-9-]+)\/orders$/.exec(rest);
  return mapped?.[1] ? { kind: 'mapped', name: mapped[1] } : null;
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function refused(status: 400 | 401 | 404, deliveryId: string | null, code: string, message: string): WebhookReceipt {
  return { status, body: { status: 'rejected', deliveryId, code, message } };
}
