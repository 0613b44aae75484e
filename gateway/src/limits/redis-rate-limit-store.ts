import { createHash } from 'node:crypto';
import { connectRedisClient } from '@crossdock/service';
import { ErrorReply, type RedisClientType } from 'redis';
import { GCRA_LUA, type RateLimitDecision, type RateLimitStore, type RateLimitWindow } from './rate-limit-store';

const GCRA_SHA1 = createHash('sha1').update(GCRA_LUA).digest('hex');

export interface RedisRateLimitStoreOptions {
  /** For example `redis://127.0.0.1:6379`. */
  url: string;
  /** Prefix of every bucket key (default `crossdock:`), so several hubs can share one Redis. */
  keyPrefix?: string;
  /** Connection errors while the client reconnects on its own. */
  onConnectionError: (error: unknown) => void;
  /** How long start-up waits for the first connection before going on without it (default 2 s). */
  connectTimeoutMs?: number;
}

/**
 * The production RateLimitStore: one key per bucket in Redis (`<prefix>ratelimit:<key>`, holding
 * the bucket's TAT, expiring when the bucket is full again), updated by one Lua script so that
 * replicas racing on one subject never let more through than the limit.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private constructor(
    private readonly client: RedisClientType,
    private readonly keyPrefix: string,
  ) {}

  /**
   * Connects in the background: the gateway must serve reads while Redis is down (requests then
   * pass unlimited, see RateLimiter), so start-up waits only a little for the first connection.
   */
  static async connect(options: RedisRateLimitStoreOptions): Promise<RedisRateLimitStore> {
    const client = await connectRedisClient(options);
    return new RedisRateLimitStore(client, options.keyPrefix ?? 'crossdock:');
  }

  async consume(key: string, window: RateLimitWindow, nowMs: number): Promise<RateLimitDecision> {
    const args = [String(nowMs), String(window.windowMs / window.requests), String(window.windowMs)];
    const reply = await this.run([`${this.keyPrefix}ratelimit:${key}`], args);
    if (!Array.isArray(reply) || (reply[0] !== 0 && reply[0] !== 1)) throw new Error(`unexpected rate-limit reply ${JSON.stringify(reply)}`);
    if (reply[0] === 1) return { allowed: true };
    const retryAfterMs = Number(reply[1]);
    if (!Number.isFinite(retryAfterMs)) throw new Error(`unexpected rate-limit reply ${JSON.stringify(reply)}`);
    return { allowed: false, retryAfterMs };
  }

  async close(): Promise<void> {
    // close() waits for a connection that may never come; destroy() gives up on it.
    if (this.client.isReady) await this.client.close();
    else this.client.destroy();
  }

  /** EVALSHA, falling back to EVAL once when Redis forgot the script (restart, SCRIPT FLUSH). */
  private async run(keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.client.evalSha(GCRA_SHA1, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.client.eval(GCRA_LUA, { keys, arguments: args });
    }
  }
}
