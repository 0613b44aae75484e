import { join } from 'node:path';
import { loadStoreChannels, type WebhookChannels } from '@crossdock/channels/webhook-door';
import { ConfigError, millisVar, portVar, readConfig } from '@crossdock/service';
import { z } from 'zod';
import { BENCH_GOVERNANCE_VAR, governanceFromEnv, type Governance } from './governance/governance-switch';
import { CLIENT_CLASSES } from './limits/client-class';
import type { ResultShaping } from './result-shaping';
import { DEFAULT_RATE_LIMIT_TIMEOUT_MS } from './limits/rate-limiter';
import { loadLimitsPolicy, type LimitsPolicy } from './limits/limits-policy';
import { TrustedDocuments } from './trusted-documents/trusted-documents';

/** The committed supergraph, served when SUPERGRAPH_PATH is unset. */
export const DEFAULT_SUPERGRAPH_PATH = join(__dirname, '..', '..', 'supergraph.graphql');

/** The repository's partner and channel files, read when CHANNEL_CONFIG_DIR is unset (as commerce does). */
const DEFAULT_CHANNEL_CONFIG_DIR = join(__dirname, '..', '..', 'config');

const optionalString = z.string().min(1).optional();

const schema = z
  .object({
    PORT: portVar(4000),
    HOST: z.string().default('0.0.0.0'),
    SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
    HUB_JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    HUB_JWKS_URL: z.url().optional(),
    HUB_JWT_ISSUER: optionalString,
    HUB_JWT_AUDIENCE: optionalString,
    HUB_SUBGRAPH_SECRET: z.string().min(16, 'must be at least 16 characters (the gateway signs subgraph requests with it)'),
    SUBGRAPH_TIMEOUT_MS: millisVar(10_000),
    REDIS_URL: z
      .string({ error: 'required: the gateway keeps per-subject rate limits in Redis' })
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
    RATE_LIMIT_TIMEOUT_MS: millisVar(DEFAULT_RATE_LIMIT_TIMEOUT_MS),
    GATEWAY_LIMITS_PATH: optionalString,
    TRUSTED_DOCUMENTS_PATH: optionalString,
    GATEWAY_COALESCING: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
    GATEWAY_SUBGRAPH_DEDUPLICATION: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
    GATEWAY_SUBGRAPH_BATCHING: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
    GATEWAY_RESULT_SHAPING: z.enum(['crossdock', 'apollo'], { error: 'must be "crossdock" or "apollo"' }).default('crossdock'),
    APOLLO_TELEMETRY_DISABLED: z.enum(['true', 'false', '1', '0'], { error: 'must be "true" or "false"' }).default('true'),
    SUBSCRIPTION_BUFFER_BYTES: z.coerce.number().int().min(64 * 1024, 'must be a whole number of bytes, at least 65536').optional(),
    SUBSCRIPTION_HEARTBEAT_MS: z.coerce.number().int().min(100, 'must be a whole number of milliseconds, at least 100').optional(),
    SUBSCRIPTION_MAX_BACKLOG: z.coerce.number().int().min(2, 'must be a whole number of events, at least 2').optional(),
    CHANNEL_CONFIG_DIR: optionalString,
    NODE_ENV: z.string().default('production'),
  })
  .refine((c) => c.HUB_JWT_SECRET !== undefined || c.HUB_JWKS_URL !== undefined, {
    message: 'set HUB_JWT_SECRET (HS256) or HUB_JWKS_URL (RS256/ES256): the gateway refuses to run without token verification',
    path: ['HUB_JWT_SECRET'],
  });

export interface GatewayConfig {
  port: number;
  host: string;
  supergraphPath: string;
  jwt: { hs256Secret: string | null; jwksUrl: string | null; issuer: string | null; audience: string | null };
  subgraphSecret: string;
  /** Subgraph URL overrides by subgraph name, from SUBGRAPH_URL_<NAME>. */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  development: boolean;
  /** Rate limits live here; null only in all-in-one, which limits in process instead. */
  redisUrl: string | null;
  /** How long a rate-limit check waits for Redis before letting the request pass. */
  rateLimitTimeoutMs: number;
  /** Per-client-class limits: GATEWAY_LIMITS_PATH over the built-in defaults. */
  limits: LimitsPolicy;
  /** The trusted-document manifest from TRUSTED_DOCUMENTS_PATH (none when unset). */
  trustedDocuments: TrustedDocuments;
  /**
   * SUBSCRIPTION_BUFFER_BYTES: unsent bytes a subscription client may hold before it is closed
   * as a slow consumer (4429); 4 MiB when absent.
   */
  subscriptionBufferBytes?: number;
  /**
   * SUBSCRIPTION_HEARTBEAT_MS: how often subscription clients are pinged (one that missed the last
   * ping is cut) and checked for an expired token (closed with 4403); 15 s when absent.
   */
  subscriptionHeartbeatMs?: number;
  /**
   * SUBSCRIPTION_MAX_BACKLOG: events one subscription group may hold not yet resolved and
   * delivered before its upstream subscription pauses (it resumes after its last cursor once the
   * group is down to half); 1,000 when absent.
   */
  subscriptionMaxBacklog?: number;
  /**
   * 'off' (CROSSDOCK_BENCH_GOVERNANCE=off, refused with NODE_ENV=production): /graphql without
   * authentication, scopes or limits, to benchmark their cost. Absent means 'on'.
   */
  governance?: Governance;
  /**
   * Identical in-flight queries of callers with the same view share one execution
   * (GATEWAY_COALESCING, default on; see coalescing/). Absent means on.
   */
  coalescing?: boolean;
  /**
   * Identical subgraph queries in flight at once (same subgraph, body and caller) go out once
   * (GATEWAY_SUBGRAPH_DEDUPLICATION, default on; coalescing/deduplicating-fetcher.ts). Absent means on.
   */
  subgraphDeduplication?: boolean;
  /**
   * A query's fetches to one subgraph in the same plan step go out as one batched HTTP request
   * (GATEWAY_SUBGRAPH_BATCHING, default on; batching-fetcher.ts). Absent means on.
   */
  subgraphBatching?: boolean;
  /**
   * Who shapes the merged subgraph answers into the response: this gateway's result shaping
   * (result-shaping.ts, the same answers for less CPU) or @apollo/gateway's own
   * (GATEWAY_RESULT_SHAPING, default crossdock). Process-wide: the last gateway created decides.
   * Absent means crossdock.
   */
  resultShaping?: ResultShaping;
  /**
   * @apollo/gateway's own anonymous usage reporting to Apollo (an OTLP metrics export, with cloud
   * metadata lookups at start). Off unless APOLLO_TELEMETRY_DISABLED=false: a distributor's hub
   * does not report to a vendor by default. Absent means off.
   */
  apolloUsageReporting?: boolean;
  /**
   * Store channels whose webhooks the gateway verifies and queues itself (CHANNEL_CONFIG_DIR's
   * `channels/` with the secrets their files name; a channel whose secret the gateway lacks is
   * forwarded to commerce). Absent: every webhook is forwarded.
   */
  webhookChannels?: WebhookChannels;
  /** Where `webhookChannels` was read from: changes to its `channels/` files are taken without a restart. Absent: as given, for good. */
  channelConfigDir?: string | null;
}

/** Reads the gateway's configuration from the environment (service started alone). */
export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const c = readConfig(schema, env);
  const subgraphUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_URL_([A-Z0-9_]+)$/.exec(name);
    if (match?.[1] && value) subgraphUrls[match[1].toLowerCase()] = z.url().parse(value);
  }
  const limits = loadLimitsPolicy(c.GATEWAY_LIMITS_PATH ?? null);
  const trustedDocuments = TrustedDocuments.load(c.TRUSTED_DOCUMENTS_PATH ?? null);
  const trustedOnly = CLIENT_CLASSES.some((name) => limits.classes[name].trustedOnly) || limits.trustedOnlyClients.length > 0;
  if (trustedOnly && trustedDocuments.size === 0) {
    throw new ConfigError('the limits make some clients trusted-only, but no trusted documents are loaded: set TRUSTED_DOCUMENTS_PATH');
  }
  return {
    port: c.PORT,
    host: c.HOST,
    supergraphPath: c.SUPERGRAPH_PATH,
    jwt: {
      hs256Secret: c.HUB_JWT_SECRET ?? null,
      jwksUrl: c.HUB_JWKS_URL ?? null,
      issuer: c.HUB_JWT_ISSUER ?? null,
      audience: c.HUB_JWT_AUDIENCE ?? null,
    },
    subgraphSecret: c.HUB_SUBGRAPH_SECRET,
    subgraphUrls,
    subgraphTimeoutMs: c.SUBGRAPH_TIMEOUT_MS,
    development: c.NODE_ENV === 'development',
    redisUrl: c.REDIS_URL,
    rateLimitTimeoutMs: c.RATE_LIMIT_TIMEOUT_MS,
    limits,
    trustedDocuments,
    ...(c.SUBSCRIPTION_BUFFER_BYTES === undefined ? {} : { subscriptionBufferBytes: c.SUBSCRIPTION_BUFFER_BYTES }),
    ...(c.SUBSCRIPTION_HEARTBEAT_MS === undefined ? {} : { subscriptionHeartbeatMs: c.SUBSCRIPTION_HEARTBEAT_MS }),
    ...(c.SUBSCRIPTION_MAX_BACKLOG === undefined ? {} : { subscriptionMaxBacklog: c.SUBSCRIPTION_MAX_BACKLOG }),
    governance: governanceFromEnv(env[BENCH_GOVERNANCE_VAR], c.NODE_ENV),
    coalescing: c.GATEWAY_COALESCING === 'on',
    subgraphDeduplication: c.GATEWAY_SUBGRAPH_DEDUPLICATION === 'on',
    subgraphBatching: c.GATEWAY_SUBGRAPH_BATCHING === 'on',
    resultShaping: c.GATEWAY_RESULT_SHAPING,
    apolloUsageReporting: c.APOLLO_TELEMETRY_DISABLED === 'false' || c.APOLLO_TELEMETRY_DISABLED === '0',
    webhookChannels: loadStoreChannels(c.CHANNEL_CONFIG_DIR ?? DEFAULT_CHANNEL_CONFIG_DIR, env),
    channelConfigDir: c.CHANNEL_CONFIG_DIR ?? DEFAULT_CHANNEL_CONFIG_DIR,
  };
}
