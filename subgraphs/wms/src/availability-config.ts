import { resolve } from 'node:path';
import {
  loadChannelRules,
  MemoryAckBoard,
  MemoryLeaseStore,
  MemoryPushStore,
  MongoPushStore,
  RedisAckBoard,
  RedisLeaseStore,
  type AckBoard,
  type ChangeSource,
  type ChannelRules,
  type ConnectorEnvironment,
  type FeedLeaseOptions,
  type LeaseStore,
  type PushStore,
} from '@crossdock/availability';
import type { ExceptionStore } from '@crossdock/exceptions';
import { decodeReservationExpired } from '@crossdock/reservations';
import { readNamedConfig } from '@crossdock/service';
import { z } from 'zod';

/** The available-to-sell feeds' configuration, read once at start (the rules are reloaded when their files change). */
export interface AvailabilityConfig {
  rules: ChannelRules[];
  /** AVAILABILITY_RULES_DIR, resolved: watched for rule changes. */
  rulesDir: string;
  /** AVAILABILITY_PARTNERS_DIR: partner files for 846 feeds (default config/partners). */
  partnersDir: string;
  /** AVAILABILITY_COALESCE_MS: changes within this window become one push per SKU and location (default 200). */
  coalesceMs: number;
  /** AVAILABILITY_LEASE_MS: how long the feeds' lease lasts unless renewed; another replica takes over within about this (default 5000). */
  leaseMs: number;
}

const schema = z.object({
  rulesDir: z.string().min(1).optional(),
  partnersDir: z.string().min(1).default('config/partners'),
  coalesceMs: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0).max(60_000).default(200),
  leaseMs: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(300).max(120_000).default(5000),
});

/**
 * AVAILABILITY_RULES_DIR names the folder of channel rules (e.g. config/availability); unset, no
 * feeds run (null). Bad rules stop the start with a message naming the file and value.
 */
export function readAvailabilityConfig(env: NodeJS.ProcessEnv = process.env): AvailabilityConfig | null {
  const config = readNamedConfig(schema, { rulesDir: 'AVAILABILITY_RULES_DIR', partnersDir: 'AVAILABILITY_PARTNERS_DIR', coalesceMs: 'AVAILABILITY_COALESCE_MS', leaseMs: 'AVAILABILITY_LEASE_MS' }, env);
  if (!config.rulesDir) return null;
  const rulesDir = resolve(config.rulesDir);
  return { rules: loadChannelRules(rulesDir), rulesDir, partnersDir: resolve(config.partnersDir), coalesceMs: config.coalesceMs, leaseMs: config.leaseMs };
}

/** What the WMS subgraph needs to run the feeds (WmsSubgraphOptions.availability). */
export interface WmsAvailabilityOptions extends AvailabilityConfig {
  store: PushStore;
  exceptions: ExceptionStore | null;
  /** Where the connectors' `urlEnv` variables are looked up. */
  env: ConnectorEnvironment['env'];
  /** Every SKU the channels may list, for full resyncs. */
  catalog?: () => Promise<string[]>;
  /** Only the holder of this lease runs the feeds (null: this process always does). */
  lease: FeedLeaseOptions | null;
  /** What the channels acknowledged, written by the leading replica and read by every replica. */
  board: AckBoard;
  /** Streams besides the bus's topics that move ATP: the reservations' expiry events. */
  sources: ChangeSource[];
}

/** Where connectAvailability finds the feeds' stores and the hub's reservations. */
export interface AvailabilityWiring {
  /** AVAILABILITY_* and the connectors' URL variables. */
  env: NodeJS.ProcessEnv;
  /** MongoDB for figures, acknowledgements and resync checkpoints (null: in process, all-in-one without MONGO_URL). */
  mongoUrl: string | null;
  /** Redis for the feeds' lease and the acknowledgements board among replicas (null: in process; one process is the only replica). */
  redisUrl: string | null;
  exceptions: ExceptionStore | null;
  /** The hub's reservations: their ledger's SKUs are the resync catalogue, their expiry events move ATP. */
  reservations: { ledgerSkus(): Promise<string[]>; expiryStream: string };
  onRedisError?: (error: unknown) => void;
}

/**
 * The one place that wires the available-to-sell feeds, for the WMS subgraph's own main and for
 * the all-in-one alike: reads AVAILABILITY_* (null when no rules folder is set), opens the push
 * store, the lease store and the acknowledgements board (MongoDB and Redis when given, else their
 * in-process substitutes) and adds the reservations' expiry events to the changes the feeds follow. `close` closes what
 * it opened, after the subgraph (and its feeds) stopped.
 */
export async function connectAvailability(wiring: AvailabilityWiring): Promise<{ options: WmsAvailabilityOptions; close(): Promise<void> } | null> {
  const config = readAvailabilityConfig(wiring.env);
  if (!config) return null;
  const redisUrl = wiring.redisUrl;
  const opened: { close(): Promise<void> }[] = [];
  const closeOpened = async () => {
    for (const resource of opened.splice(0).reverse()) await resource.close();
  };
  let store: PushStore, leaseStore: LeaseStore, board: AckBoard;
  try {
    opened.push((store = wiring.mongoUrl ? await MongoPushStore.connect(wiring.mongoUrl) : new MemoryPushStore()));
    opened.push((leaseStore = redisUrl ? await RedisLeaseStore.connect({ url: redisUrl, onConnectionError: wiring.onRedisError }) : new MemoryLeaseStore()));
    opened.push((board = redisUrl ? await RedisAckBoard.connect({ url: redisUrl, onConnectionError: wiring.onRedisError }) : new MemoryAckBoard()));
  } catch (error) {
    await closeOpened();
    throw error;
  }
  const expiries: ChangeSource = {
    stream: wiring.reservations.expiryStream,
    changes: (payload) => {
      const expired = decodeReservationExpired(payload);
      return { skus: expired.skus, at: expired.at };
    },
  };
  const options: WmsAvailabilityOptions = {
    ...config,
    store,
    exceptions: wiring.exceptions,
    env: wiring.env,
    catalog: () => wiring.reservations.ledgerSkus(),
    lease: { store: leaseStore, ttlMs: config.leaseMs },
    board,
    sources: [expiries],
  };
  return { options, close: closeOpened };
}
