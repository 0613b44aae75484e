import { createClient, type RedisClientType } from 'redis';

/** Options of connectRedisClient. */
export interface RedisClientOptions {
  /** For example `redis://127.0.0.1:6379`. */
  url: string;
  /** Connection errors, the first one and those while the client reconnects on its own. */
  onConnectionError: (error: unknown) => void;
  /** How long to wait for the first connection before going on without it (default 2 s). */
  connectTimeoutMs?: number;
}

/**
 * A Redis client for a part that must start while Redis is down (the webhook door, the rate
 * limit): it waits at most `connectTimeoutMs` for the first connection and answers the client
 * either way, which keeps connecting on its own. Commands fail at once while it is not connected
 * (no offline queue): a caller gets an error it can answer with, not a request that hangs until
 * Redis is back.
 */
export async function connectRedisClient(options: RedisClientOptions): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url: options.url, disableOfflineQueue: true });
  // Without a listener node-redis turns a dropped connection into an uncaught exception.
  client.on('error', options.onConnectionError);
  const connected = client.connect().then(
    () => true,
    (error: unknown) => {
      options.onConnectionError(error);
      return false;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), options.connectTimeoutMs ?? 2_000);
  });
  await Promise.race([connected, timedOut]);
  clearTimeout(timer);
  return client;
}
