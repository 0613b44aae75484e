import { createClient, type RedisClientType } from 'redis';

/**
 * A lease: one owner at a time holds a key for a while and must renew it before it runs out.
 * The available-to-sell feeds run on the replica that holds theirs, so two WMS replicas never
 * both push. Redis in production; an in-process substitute in all-in-one (one process, one
 * owner). One contract suite runs against both.
 */
export interface LeaseStore {
  /** Takes the lease for `ttlMs` if nobody holds it (SET NX PX); true when `owner` holds it now. */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease to `ttlMs` from now if `owner` still holds it; false when it was lost. */
  renew(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` holds it (another owner's lease is left alone). */
  release(key: string, owner: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Renews only the owner's own lease: GET and PEXPIRE in one step, so a lease taken over meanwhile is never extended. */
const RENEW_LUA = /* lua */ `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** Deletes only the owner's own lease. */
const RELEASE_LUA = /* lua */ `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

function checkTtl(ttlMs: number): void {
  // 0 would mean "never expires" to PX: a dead holder would keep the lease forever.
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`a lease lasts a positive whole number of milliseconds, got ${ttlMs}`);
}

/** The lease in Redis: `SET key owner NX PX ttl`, renewed and released by compare-and-act scripts. */
export class RedisLeaseStore implements LeaseStore {
  private constructor(private readonly client: RedisClientType) {}

  /** Opens its own client; connection errors while it reconnects go to `onConnectionError`. */
  static async connect(options: { url: string; onConnectionError?: (error: unknown) => void }): Promise<RedisLeaseStore> {
    // Fail fast while Redis is unreachable: a holder that cannot renew must learn it, not queue.
    const client: RedisClientType = createClient({ url: options.url, disableOfflineQueue: true });
    client.on('error', options.onConnectionError ?? ((error: unknown) => console.error('availability lease: redis connection error', error)));
    await client.connect();
    return new RedisLeaseStore(client);
  }

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    return (await this.client.set(key, owner, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
  }

  async renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    return Number(await this.client.eval(RENEW_LUA, { keys: [key], arguments: [owner, String(ttlMs)] })) === 1;
  }

  async release(key: string, owner: string): Promise<boolean> {
    return Number(await this.client.eval(RELEASE_LUA, { keys: [key], arguments: [owner] })) === 1;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** The in-process lease for all-in-one: the same rules, on this process's clock. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { owner: string; until: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    if (this.holder(key) !== null) return false;
    this.leases.set(key, { owner, until: this.clock() + ttlMs });
    return true;
  }

  async renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    if (this.holder(key) !== owner) return false;
    this.leases.set(key, { owner, until: this.clock() + ttlMs });
    return true;
  }

  async release(key: string, owner: string): Promise<boolean> {
    if (this.holder(key) !== owner) return false;
    this.leases.delete(key);
    return true;
  }

  async close(): Promise<void> {
    this.leases.clear();
  }

  private holder(key: string): string | null {
    const lease = this.leases.get(key);
    if (!lease || lease.until <= this.clock()) return null;
    return lease.owner;
  }
}
