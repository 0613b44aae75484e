import { millisVar, portVar, readNamedConfig, urlVar } from '@crossdock/service';
import { DEFAULT_CAPTURE_POLICY } from '@crossdock/order-capture';
import { z } from 'zod';

const redisUrl = z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' });
const mongoUrl = z
  .string({ error: 'is required' })
  .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// URL');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The commerce subgraph's environment. Started alone it is production: it refuses to start
 * without the gateway's signing key, Redis (reservations, idempotency) and MongoDB (order store
 * and outbox), since in-process substitutes would lose orders and oversell across replicas.
 */
const commerceConfigSchema = z
  .object({
    port: portVar(4003),
    commerceBackendUrl: urlVar('http://localhost:4103'),
    erpBackendUrl: urlVar('http://localhost:4101'),
    wmsBackendUrl: urlVar('http://localhost:4102'),
    /** Shipments for EDI 856 ship notices. */
    shippingBackendUrl: urlVar('http://localhost:4104'),
    /** Partner files (partners/*.json) and channel files (channels/*.json); default: the repository's config/. */
    channelConfigDir: z.string().min(1).optional(),
    ediFollowUpIntervalMs: millisVar(30_000),
    backendTimeoutMs: millisVar(2_000),
    subgraphSecret: z
      .string({ error: 'is required: the gateway signs every subgraph request with it, and a subgraph alone must not answer anyone else' })
      .min(16, 'must be at least 16 characters'),
    redisUrl: z.string({ error: 'is required: stock reservations and idempotency keys must be shared by every replica' }).pipe(redisUrl),
    mongoUrl: z.string({ error: 'is required: accepted orders and their outbox must survive a restart' }).pipe(mongoUrl),
    allocationRule: z.enum(['single-warehouse-first', 'priority-split'], { error: 'must be single-warehouse-first or priority-split' }).default('single-warehouse-first'),
    reservationHoldMs: millisVar(30 * 60_000),
    outboxMaxAttempts: positiveInt(10),
    outboxBaseDelayMs: millisVar(500),
    outboxMaxDelayMs: millisVar(30_000),
    maxReferenceAgeMs: millisVar(15 * 60_000),
    maxDegradedOrderValue: z
      .string()
      .regex(/^\d+(\.\d{1,4})?$/, 'must be a decimal amount such as 25000.00, or "none"')
      .or(z.literal('none'))
      .default('25000.00'),
    erpReadsInFlight: positiveInt(DEFAULT_CAPTURE_POLICY.erpReadsInFlight),
    erpReadMaxWaitMs: millisVar(DEFAULT_CAPTURE_POLICY.erpReadMaxWaitMs),
    crashAfterOutboxWrite: z.enum(['0', '1', 'false', 'true'], { error: 'must be 1 or 0' }).default('0'),
    nodeEnv: z.string().default('production'),
  })
  .refine((config) => config.outboxMaxDelayMs >= config.outboxBaseDelayMs, {
    path: ['outboxMaxDelayMs'],
    message: 'must be at least OUTBOX_BASE_DELAY_MS',
  });

/** The commerce subgraph's configuration, validated. */
export type CommerceConfig = z.infer<typeof commerceConfigSchema>;

/** Reads it once at start; every bad value is reported by its variable name (ConfigError). */
export function readCommerceConfig(env: NodeJS.ProcessEnv = process.env): CommerceConfig {
  return readNamedConfig(
    commerceConfigSchema,
    {
      port: 'COMMERCE_PORT',
      commerceBackendUrl: 'COMMERCE_BACKEND_URL',
      erpBackendUrl: 'ERP_BACKEND_URL',
      wmsBackendUrl: 'WMS_BACKEND_URL',
      shippingBackendUrl: 'SHIPPING_BACKEND_URL',
      channelConfigDir: 'CHANNEL_CONFIG_DIR',
      ediFollowUpIntervalMs: 'EDI_FOLLOW_UP_INTERVAL_MS',
      backendTimeoutMs: 'BACKEND_TIMEOUT_MS',
      subgraphSecret: 'HUB_SUBGRAPH_SECRET',
      redisUrl: 'REDIS_URL',
      mongoUrl: 'MONGO_URL',
      allocationRule: 'ALLOCATION_RULE',
      reservationHoldMs: 'RESERVATION_HOLD_MS',
      outboxMaxAttempts: 'OUTBOX_MAX_ATTEMPTS',
      outboxBaseDelayMs: 'OUTBOX_BASE_DELAY_MS',
      outboxMaxDelayMs: 'OUTBOX_MAX_DELAY_MS',
      maxReferenceAgeMs: 'DEGRADED_MAX_REFERENCE_AGE_MS',
      maxDegradedOrderValue: 'DEGRADED_MAX_ORDER_VALUE',
      erpReadsInFlight: 'ERP_READS_IN_FLIGHT',
      erpReadMaxWaitMs: 'ERP_READ_MAX_WAIT_MS',
      crashAfterOutboxWrite: 'CROSSDOCK_CRASH_AFTER_OUTBOX_WRITE',
      nodeEnv: 'NODE_ENV',
    },
    env,
  );
}
