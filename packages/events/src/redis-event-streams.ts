import { createClient, type RedisClientType } from 'redis';
import { compareStreamIds, cursorHasLostEntries, STREAM_START, type StreamHistory } from './stream-id';
import {
  CursorExpiredError,
  StreamsClosedError,
  type BlockingRead,
  type EventStreams,
  type GroupRead,
  type StreamEntry,
  type StreamRetention,
} from './ports';
import { PAYLOAD_FIELD, replyCount, replyEntries, replyEntry, replyInfo, replyList, replyReadOne, replyText } from './redis-replies';

export interface RedisEventStreamsOptions {
  /** For example `redis://127.0.0.1:6379`. */
  url: string;
  retention: StreamRetention;
  /** Connection errors while the client reconnects on its own (default: console.error). */
  onConnectionError?: (error: unknown) => void;
}

/**
 * appendOnce in one step: KEYS[1] the stream, KEYS[2] the key; ARGV[1] the key's lifetime in ms,
 * the rest XADD's arguments after the stream name. Answers {1, new id} or {0, earlier id}.
 */
const APPEND_ONCE_SCRIPT = `
local seen = redis.call('GET', KEYS[2])
if seen then return {0, seen} end
local id = redis.call('XADD', KEYS[1], unpack(ARGV, 2))
redis.call('SET', KEYS[2], id, 'PX', ARGV[1])
return {1, id}`;

/**
 * Redis Streams behind the EventStreams port. One connection serves appends and range reads; a
 * blocking read (XREAD BLOCK, XREADGROUP BLOCK) holds a connection of its own for its duration,
 * taken from a small pool, so a reader waiting for events never delays an append. The client
 * reconnects on its own after a Redis restart; readers retry and resume from their last id.
 */
export class RedisEventStreams implements EventStreams {
  private readonly idle: RedisClientType[] = [];
  private readonly blocking = new Set<RedisClientType>();
  private closed = false;

  private constructor(
    private readonly client: RedisClientType,
    private readonly options: RedisEventStreamsOptions,
  ) {}

  static async connect(options: RedisEventStreamsOptions): Promise<RedisEventStreams> {
    const client: RedisClientType = createClient({ url: options.url, disableOfflineQueue: true });
    client.on('error', options.onConnectionError ?? ((error: unknown) => console.error('events: redis connection error', error)));
    await client.connect();
    return new RedisEventStreams(client, options);
  }

  async append(stream: string, payload: string): Promise<string> {
    this.assertOpen();
    const reply = await this.client.sendCommand(['XADD', stream, ...this.trimArguments(), '*', PAYLOAD_FIELD, payload]);
    return replyText(reply, 'XADD');
  }

  async appendOnce(stream: string, payload: string, key: string, ttlMs: number): Promise<{ id: string; appended: boolean }> {
    this.assertOpen();
    const reply = await this.client.sendCommand(['EVAL', APPEND_ONCE_SCRIPT, '2', stream, key, String(Math.max(1, Math.round(ttlMs))), ...this.trimArguments(), '*', PAYLOAD_FIELD, payload]);
    const [appended, id] = replyList(reply, 'appendOnce');
    return { id: replyText(id, 'appendOnce id'), appended: appended === 1 };
  }

  async range(stream: string, after: string | null, count: number): Promise<StreamEntry[]> {
    this.assertOpen();
    if (after !== null) await this.checkNotExpired(stream, after);
    const reply = await this.client.sendCommand(['XRANGE', stream, after === null ? '-' : `(${after}`, '+', 'COUNT', String(count)]);
    return replyEntries(reply);
  }

  async read(stream: string, after: string, options: BlockingRead): Promise<StreamEntry[]> {
    compareStreamIds(after, STREAM_START);
    const reply = await this.whileBlocking(['XREAD', 'COUNT', String(options.count), 'BLOCK', String(options.blockMs), 'STREAMS', stream, after]);
    return replyReadOne(reply);
  }

  async lastId(stream: string): Promise<string> {
    this.assertOpen();
    const [newest] = replyEntries(await this.client.sendCommand(['XREVRANGE', stream, '+', '-', 'COUNT', '1']));
    return newest?.id ?? STREAM_START;
  }

  async ensureGroup(stream: string, group: string, startId: string): Promise<void> {
    this.assertOpen();
    try {
      await this.client.sendCommand(['XGROUP', 'CREATE', stream, group, startId, 'MKSTREAM']);
    } catch (error) {
      // Another replica created it first: that is the point of a shared group.
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  async readGroup(stream: string, group: string, consumer: string, options: GroupRead): Promise<StreamEntry[]> {
    this.assertOpen();
    const count = String(options.count);
    const claimed = replyList(
      await this.client.sendCommand(['XAUTOCLAIM', stream, group, consumer, String(options.claimIdleMs), STREAM_START, 'COUNT', count]),
      'XAUTOCLAIM',
    );
    const taken = replyList(claimed[1] ?? [], 'XAUTOCLAIM entries').flatMap((item) => replyEntry(item) ?? []);
    if (taken.length > 0) return taken;
    const own = replyReadOne(await this.client.sendCommand(['XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, STREAM_START]));
    if (own.length > 0) return own;
    const reply = await this.whileBlocking(['XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'BLOCK', String(options.blockMs), 'STREAMS', stream, '>']);
    return replyReadOne(reply);
  }

  async ack(stream: string, group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.client.sendCommand(['XACK', stream, group, ...ids]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Blocked reads end with an error their callers expect once closed.
    for (const connection of [...this.blocking, ...this.idle.splice(0)]) connection.destroy();
    this.blocking.clear();
    await this.client.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StreamsClosedError('the event streams are closed');
  }

  private trimArguments(): string[] {
    const { maxLength, maxAgeMs, approximate = true } = this.options.retention;
    const modifier = approximate ? '~' : '=';
    if (maxAgeMs !== null && maxAgeMs !== undefined) return ['MINID', modifier, `${Math.max(0, Date.now() - maxAgeMs)}-0`];
    return ['MAXLEN', modifier, String(maxLength)];
  }

  /** Reads the stream's history (XINFO STREAM) and refuses a cursor after which entries were trimmed. */
  private async checkNotExpired(stream: string, cursor: string): Promise<void> {
    compareStreamIds(cursor, STREAM_START);
    const history = await this.history(stream);
    if (cursorHasLostEntries(cursor, history)) throw new CursorExpiredError(stream, cursor, history.firstId);
  }

  private async history(stream: string): Promise<StreamHistory> {
    let info: Map<string, unknown>;
    try {
      info = replyInfo(await this.client.sendCommand(['XINFO', 'STREAM', stream]));
    } catch (error) {
      if (error instanceof Error && error.message.includes('no such key')) {
        return { exists: false, length: 0, added: 0, firstId: null, lastGeneratedId: STREAM_START, maxDeletedId: STREAM_START };
      }
      throw error;
    }
    const first = info.get('first-entry');
    return {
      exists: true,
      length: replyCount(info.get('length'), 'length'),
      added: replyCount(info.get('entries-added'), 'entries-added'),
      firstId: first === null || first === undefined ? null : (replyEntry(first)?.id ?? null),
      lastGeneratedId: replyText(info.get('last-generated-id'), 'last-generated-id'),
      maxDeletedId: replyText(info.get('max-deleted-entry-id'), 'max-deleted-entry-id'),
    };
  }

  /** Runs one blocking command on a pooled connection of its own. */
  private async whileBlocking(command: string[]): Promise<unknown> {
    this.assertOpen();
    const connection = this.idle.pop() ?? (await this.openBlockingConnection());
    this.blocking.add(connection);
    try {
      return await connection.sendCommand(command);
    } catch (error) {
      if (this.closed) return null;
      // After an error the connection may be reconnecting; drop it rather than reuse it.
      this.blocking.delete(connection);
      connection.destroy();
      throw error;
    } finally {
      if (this.blocking.delete(connection) && !this.closed) this.idle.push(connection);
    }
  }

  private async openBlockingConnection(): Promise<RedisClientType> {
    const connection = this.client.duplicate();
    connection.on('error', this.options.onConnectionError ?? ((error: unknown) => console.error('events: redis connection error', error)));
    await connection.connect();
    if (this.closed) {
      connection.destroy();
      throw new StreamsClosedError('the event streams are closed');
    }
    return connection;
  }
}
