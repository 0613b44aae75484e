import { createClient, type RedisClientType } from 'redis';

/** The node-redis client a Redis store owns (RESP2, default modules). */
export type RedisStoreClient = RedisClientType;

/** How a Redis-backed store reaches Redis. */
export interface RedisStoreOptions {
  /** For example `redis://127.0.0.1:6379`. */
  url: string;
  /**
   * Prefix of every key the store touches (default `crossdock:`), so several hubs or test runs
   * can share one Redis. For Redis Cluster use a hash tag such as `{crossdock}:`: scripts reach
   * keys they only learn at run time, so all of them must live in one slot.
   */
  keyPrefix?: string;
  /** Connection errors while the client reconnects on its own (default: console.error). */
  onConnectionError?: (error: unknown) => void;
}

export const DEFAULT_KEY_PREFIX = 'crossdock:';

/** Opens the one client a store uses. */
export async function connectRedis(options: RedisStoreOptions): Promise<RedisStoreClient> {
  const client: RedisStoreClient = createClient({
    url: options.url,
    // Fail fast while Redis is unreachable instead of queueing: an order waiting on a stock
    // reservation should get an error it can report, not hang until Redis comes back.
    disableOfflineQueue: true,
  });
  // Without a listener node-redis turns a dropped connection into an uncaught exception.
  client.on('error', options.onConnectionError ?? ((error: unknown) => console.error('reservations: redis connection error', error)));
  await client.connect();
  return client;
}
