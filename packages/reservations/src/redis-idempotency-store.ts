import { ABANDON_LUA, BEGIN_LUA } from './idempotency-lua-scripts';
import { validateDuration, validateIdempotencyKey } from './idempotency-validation';
import { LuaScript } from './lua-script';
import type { IdempotencyBegin, IdempotencyStore } from './ports';
import { connectRedis, DEFAULT_KEY_PREFIX, type RedisStoreClient, type RedisStoreOptions } from './redis-connection';
import { replyArray, replyString, UnexpectedReplyError } from './redis-replies';

const BEGIN = new LuaScript('idempotency-begin', BEGIN_LUA);
const ABANDON = new LuaScript('idempotency-abandon', ABANDON_LUA);

/**
 * The production IdempotencyStore: `P idempotency:<key>` in Redis, claimed with a lease (the
 * key's TTL) so a crashed request frees its key by itself. See idempotency-lua-scripts.ts.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  private constructor(
    private readonly client: RedisStoreClient,
    private readonly keyPrefix: string,
  ) {}

  /** Connects one client and loads the scripts. */
  static async connect(options: RedisStoreOptions): Promise<RedisIdempotencyStore> {
    const client = await connectRedis(options);
    try {
      await BEGIN.load(client);
      await ABANDON.load(client);
    } catch (error) {
      client.destroy();
      throw error;
    }
    return new RedisIdempotencyStore(client, options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  }

  /** Closes the client after the commands already sent have been answered. */
  async close(): Promise<void> {
    await this.client.close();
  }

  async begin(key: string, leaseMs: number): Promise<IdempotencyBegin> {
    validateIdempotencyKey(key);
    validateDuration(leaseMs, 'leaseMs');
    const reply = replyArray(await BEGIN.run(this.client, [this.key(key)], [String(leaseMs)]), 'idempotency begin');
    const [state, result] = reply;
    if (state === 'started' || state === 'in-progress') return { state };
    if (state === 'done') return { state, result: replyString(result, 'idempotency result') };
    throw new UnexpectedReplyError(`unexpected idempotency begin reply: ${JSON.stringify(reply)}`);
  }

  async finish(key: string, result: string, ttlMs: number): Promise<void> {
    validateIdempotencyKey(key);
    validateDuration(ttlMs, 'ttlMs');
    // Unconditional SET: an answer that arrives after the lease ran out is still the answer.
    await this.client.set(this.key(key), `D:${result}`, { expiration: { type: 'PX', value: ttlMs } });
  }

  async abandon(key: string): Promise<void> {
    validateIdempotencyKey(key);
    await ABANDON.run(this.client, [this.key(key)], []);
  }

  private key(key: string): string {
    return `${this.keyPrefix}idempotency:${key}`;
  }
}
