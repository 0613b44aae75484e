import { createClient, type RedisClientType } from 'redis';
import type { AckRecord } from './ports';

/** One figure as a channel acknowledged it at one location. */
export type AckedFigure = AckRecord['locations'][string];

/** Which acknowledgement to read: a channel's SKU at one location (a warehouse id or `*`). */
export interface AckKey {
  channel: string;
  sku: string;
  location: string;
}

/**
 * What every channel acknowledged, per SKU and location, where every WMS replica reads it: the
 * replica leading the feeds writes it as its channels acknowledge, all replicas answer
 * `Product.availableToSell` from it, so they all answer alike. Redis in production (a hash per
 * channel); an in-process substitute in all-in-one. One contract suite runs against both.
 */
export interface AckBoard {
  /** Records acknowledgements; at each location an older seq never replaces a newer one. */
  publish(records: readonly AckRecord[]): Promise<void>;
  /** What was acknowledged at each key (null: nothing yet), in the keys' order, in one round trip. */
  read(keys: readonly AckKey[]): Promise<(AckedFigure | null)[]>;
  close(): Promise<void>;
}

/** A location's field in its channel's hash: unambiguous whatever the SKU or location holds. */
const fieldOf = (sku: string, location: string) => JSON.stringify([sku, location]);

interface StoredAck {
  quantity: number;
  seq: number;
  /** Epoch milliseconds. */
  at: number;
}

function decodeAck(value: string): AckedFigure {
  const stored = JSON.parse(value) as StoredAck; // written by publish below, never by anyone else
  return { quantity: stored.quantity, seq: stored.seq, at: new Date(stored.at) };
}

/**
 * Writes each location's acknowledgement unless the hash holds one with a higher seq, in one
 * step: a replica that lost the lease and writes late can never put an older figure back.
 * ARGV: field, seq, value, repeated.
 */
const PUBLISH_LUA = /* lua */ `
local written = 0
for i = 1, #ARGV, 3 do
  local held = redis.call('HGET', KEYS[1], ARGV[i])
  if not held or cjson.decode(held).seq <= tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
    written = written + 1
  end
end
return written
`;

/** Locations per script call: a resync's worth of acknowledgements stays a few small calls. */
const FIELDS_PER_CALL = 500;

/** The board in Redis: one hash per channel (`<prefix><channel>`), a field per SKU and location. */
export class RedisAckBoard implements AckBoard {
  private constructor(
    private readonly client: RedisClientType,
    private readonly prefix: string,
  ) {}

  /** Opens its own client; `keyPrefix` defaults to `crossdock:availability:acks:`. */
  static async connect(options: { url: string; keyPrefix?: string; onConnectionError?: (error: unknown) => void }): Promise<RedisAckBoard> {
    // Fail fast while Redis is unreachable: a read answers an error rather than waiting for a reconnect.
    const client: RedisClientType = createClient({ url: options.url, disableOfflineQueue: true });
    client.on('error', options.onConnectionError ?? ((error: unknown) => console.error('availability acknowledgements: redis connection error', error)));
    await client.connect();
    return new RedisAckBoard(client, options.keyPrefix ?? 'crossdock:availability:acks:');
  }

  async publish(records: readonly AckRecord[]): Promise<void> {
    const byChannel = new Map<string, string[]>();
    for (const record of records) {
      const args = byChannel.get(record.channel) ?? [];
      for (const [location, ack] of Object.entries(record.locations)) {
        const stored: StoredAck = { quantity: ack.quantity, seq: ack.seq, at: new Date(ack.at).getTime() };
        args.push(fieldOf(record.sku, location), String(ack.seq), JSON.stringify(stored));
      }
      byChannel.set(record.channel, args);
    }
    for (const [channel, args] of byChannel) {
      for (let i = 0; i < args.length; i += FIELDS_PER_CALL * 3) {
        await this.client.eval(PUBLISH_LUA, { keys: [this.prefix + channel], arguments: args.slice(i, i + FIELDS_PER_CALL * 3) });
      }
    }
  }

  async read(keys: readonly AckKey[]): Promise<(AckedFigure | null)[]> {
    if (keys.length === 0) return [];
    // One HMGET per channel, sent together.
    const channels = [...new Set(keys.map((k) => k.channel))];
    const multi = this.client.multi();
    for (const channel of channels) multi.hmGet(this.prefix + channel, keys.filter((k) => k.channel === channel).map((k) => fieldOf(k.sku, k.location)));
    const replies = (await multi.execAsPipeline()) as unknown[];
    const found = new Map<string, AckedFigure | null>();
    channels.forEach((channel, i) => {
      const values = replies[i];
      if (!Array.isArray(values)) throw new Error(`availability acknowledgements: unexpected answer from Redis for channel ${channel}`);
      const wanted = keys.filter((k) => k.channel === channel);
      wanted.forEach((k, j) => {
        const value: unknown = values[j];
        found.set(JSON.stringify([k.channel, k.sku, k.location]), typeof value === 'string' ? decodeAck(value) : null);
      });
    });
    return keys.map((k) => found.get(JSON.stringify([k.channel, k.sku, k.location])) ?? null);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** The in-process board for all-in-one and a single replica: the same rules, in memory. */
export class MemoryAckBoard implements AckBoard {
  private readonly acks = new Map<string, AckedFigure>();

  async publish(records: readonly AckRecord[]): Promise<void> {
    for (const record of records) {
      for (const [location, ack] of Object.entries(record.locations)) {
        const key = JSON.stringify([record.channel, record.sku, location]);
        const held = this.acks.get(key);
        if (!held || held.seq <= ack.seq) this.acks.set(key, { quantity: ack.quantity, seq: ack.seq, at: new Date(ack.at) });
      }
    }
  }

  async read(keys: readonly AckKey[]): Promise<(AckedFigure | null)[]> {
    return keys.map((k) => {
      const held = this.acks.get(JSON.stringify([k.channel, k.sku, k.location]));
      return held ? { ...held, at: new Date(held.at) } : null;
    });
  }

  async close(): Promise<void> {
    this.acks.clear();
  }
}
