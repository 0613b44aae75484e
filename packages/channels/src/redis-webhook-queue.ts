import { createHash } from 'node:crypto';
import { connectRedisClient } from '@crossdock/service';
import { ErrorReply, type RedisClientType } from 'redis';
import { DELIVERY_MARKER_TTL_SECONDS, queuedWebhookSchema, type QueuedWebhook, type TakenWebhook, type TakeOptions, type WebhookQueue } from './webhook-queue';

/**
 * The duplicate check and the append, in one step no other client can come between: an id seen
 * before answers nil; otherwise the entry is appended and the marker set (to the entry's id).
 * The append comes first so that a refused XADD (out of memory) leaves no marker behind.
 */
const APPEND_ONCE_LUA = `
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local id = redis.call('XADD', KEYS[1], '*', 'webhook', ARGV[1])
redis.call('SET', KEYS[2], id, 'EX', ARGV[2])
return id
`;
const APPEND_ONCE_SHA1 = createHash('sha1').update(APPEND_ONCE_LUA).digest('hex');

/** Options of RedisWebhookQueue.connect. */
export interface RedisWebhookQueueOptions {
  /** For example `redis://127.0.0.1:6379`. */
  url: string;
  /** Prefix of the stream and marker keys (default `crossdock:webhooks:`), so several hubs can share one Redis. */
  keyPrefix?: string;
  /** Connection errors while the client reconnects on its own (default: console.error). */
  onConnectionError?: (error: unknown) => void;
  /** How long connect() waits for the first connection before going on without it (default 2 s). */
  connectTimeoutMs?: number;
}

/** The one consumer group every commerce replica reads the queue with. */
const GROUP = 'commerce-webhook-inbox';

/**
 * The webhook queue on Redis: a stream (`<prefix>queue`) with one consumer group, plus one marker
 * key per delivery id (`<prefix>seen:<id>`, expiring after DELIVERY_MARKER_TTL_SECONDS). An
 * acknowledgement is as durable as Redis makes the write: run it with `appendonly yes` and
 * `appendfsync always` (Redis answers only after the AOF is fsynced; replies to many clients
 * share one fsync), or with a replica, for nothing acknowledged to be lost in a crash. Entries
 * are deleted when settled, never trimmed by length: a backlog is kept however long it grows.
 */
export class RedisWebhookQueue implements WebhookQueue {
  private blocking: RedisClientType | null = null;
  private groupReady = false;

  private constructor(
    private readonly client: RedisClientType,
    private readonly keyPrefix: string,
    private readonly onConnectionError: (error: unknown) => void,
  ) {}

  /**
   * Connects, waiting at most `connectTimeoutMs` (default 2 s) for the first connection: a service
   * must start while Redis is down (its GraphQL does not need the queue); until the client is
   * connected, appends fail at once (the sender is answered 503 and delivers again) and takes
   * fail (the drain tries again).
   */
  static async connect(options: RedisWebhookQueueOptions): Promise<RedisWebhookQueue> {
    const onConnectionError = options.onConnectionError ?? ((error: unknown) => console.error('webhook queue: redis connection error', error));
    const client = await connectRedisClient({ url: options.url, onConnectionError, ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }) });
    return new RedisWebhookQueue(client, options.keyPrefix ?? 'crossdock:webhooks:', onConnectionError);
  }

  private get stream(): string {
    return `${this.keyPrefix}queue`;
  }

  async appendOnce(webhook: Extract<QueuedWebhook, { kind: 'accepted' }>): Promise<'appended' | 'exists'> {
    const keys = [this.stream, `${this.keyPrefix}seen:${webhook.id}`];
    const args = [JSON.stringify(webhook), String(DELIVERY_MARKER_TTL_SECONDS)];
    let reply: unknown;
    try {
      reply = await this.client.evalSha(APPEND_ONCE_SHA1, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
      reply = await this.client.eval(APPEND_ONCE_LUA, { keys, arguments: args });
    }
    return reply === null ? 'exists' : 'appended';
  }

  async appendRefused(webhook: Extract<QueuedWebhook, { kind: 'refused' }>): Promise<void> {
    await this.client.sendCommand(['XADD', this.stream, '*', 'webhook', JSON.stringify(webhook)]);
  }

  async take(consumer: string, options: TakeOptions): Promise<TakenWebhook[]> {
    await this.ensureGroup();
    try {
      return await this.read(consumer, options);
    } catch (error) {
      // A Redis that restarted without its data lost the group with the stream: make it again.
      if (error instanceof Error && error.message.includes('NOGROUP')) this.groupReady = false;
      throw error;
    }
  }

  private async read(consumer: string, options: TakeOptions): Promise<TakenWebhook[]> {
    const count = String(options.count);
    const own = entries(await this.client.sendCommand(['XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', this.stream, '0']));
    if (own.length > 0) return own;
    const claimed = await this.client.sendCommand(['XAUTOCLAIM', this.stream, GROUP, consumer, String(options.claimIdleMs), '0-0', 'COUNT', count]);
    const taken = Array.isArray(claimed) ? entryList(claimed[1]) : [];
    if (taken.length > 0) return taken;
    const fresh = ['XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', count];
    const tail = ['STREAMS', this.stream, '>'];
    // BLOCK 0 would wait forever: no wait asked, no BLOCK sent.
    if (options.blockMs <= 0) return entries(await this.client.sendCommand([...fresh, ...tail]));
    // A blocking read holds its connection: it gets one of its own, so appends never wait behind it.
    this.blocking ??= await this.openBlockingConnection();
    return entries(await this.blocking.sendCommand([...fresh, 'BLOCK', String(options.blockMs), ...tail]));
  }

  async settle(entryIds: readonly string[]): Promise<void> {
    if (entryIds.length === 0) return;
    await this.client.multi().addCommand(['XACK', this.stream, GROUP, ...entryIds]).addCommand(['XDEL', this.stream, ...entryIds]).exec();
  }

  async depth(): Promise<number> {
    const length = await this.client.sendCommand(['XLEN', this.stream]);
    return typeof length === 'number' ? length : Number(length);
  }

  async close(): Promise<void> {
    this.blocking?.destroy();
    this.blocking = null;
    if (this.client.isReady) await this.client.close();
    else this.client.destroy();
  }

  /** The consumer group, made once (from the stream's start, so nothing appended before is skipped). */
  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      await this.client.sendCommand(['XGROUP', 'CREATE', this.stream, GROUP, '0', 'MKSTREAM']);
    } catch (error) {
      // Another replica made it first: that is the point of one shared group.
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
    this.groupReady = true;
  }

  private async openBlockingConnection(): Promise<RedisClientType> {
    const connection = this.client.duplicate();
    connection.on('error', this.onConnectionError);
    await connection.connect();
    return connection;
  }
}

/** XREADGROUP's `[[stream, entries]]`, or null when nothing came. */
function entries(reply: unknown): TakenWebhook[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const [stream] = reply as unknown[];
  return Array.isArray(stream) ? entryList(stream[1]) : [];
}

/** `[[id, [field, value]]…]`; an entry deleted meanwhile comes back without fields and is skipped. */
function entryList(list: unknown): TakenWebhook[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (!Array.isArray(item)) return [];
    const [id, fields] = item as unknown[];
    if (!Array.isArray(fields) || fields.length < 2) return [];
    return [readEntry(text(id), text(fields[1]))];
  });
}

/** An entry's webhook, or what was wrong with it (the drain keeps it as an exception). */
function readEntry(entryId: string, raw: string): TakenWebhook {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { entryId, webhook: null, unreadable: { raw, problem: `not JSON (${error instanceof Error ? error.message : String(error)})` } };
  }
  const parsed = queuedWebhookSchema.safeParse(value);
  if (parsed.success) return { entryId, webhook: parsed.data };
  return { entryId, webhook: null, unreadable: { raw, problem: `not a queued webhook (${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; ')})` } };
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  throw new Error(`unexpected Redis reply in the webhook queue: ${JSON.stringify(value)}`);
}
