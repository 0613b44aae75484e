import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DEV_JWT_SECRET } from '@crossdock/auth';
import { DEFAULT_SUPERGRAPH_PATH } from '@crossdock/gateway';
import { millisVar, portVar, readConfig } from '@crossdock/service';
import { z } from 'zod';

const schema = z.object({
  PORT: portVar(4000),
  ERP_PORT: portVar(4001),
  WMS_PORT: portVar(4002),
  COMMERCE_PORT: portVar(4003),
  SHIPPING_PORT: portVar(4004),
  SIM_ERP_PORT: portVar(4101),
  SIM_WMS_PORT: portVar(4102),
  SIM_COMMERCE_PORT: portVar(4103),
  SIM_SHIPPING_PORT: portVar(4104),
  // Real systems answer in milliseconds, not microseconds; the demo should feel like it.
  SIM_LATENCY_MS: z.coerce.number().int().min(0).default(5),
  HOST: z.string().default('127.0.0.1'),
  HUB_JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  HUB_SUBGRAPH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL').optional(),
  BACKEND_TIMEOUT_MS: millisVar(2_000),
  SUBGRAPH_TIMEOUT_MS: millisVar(10_000),
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
  NODE_ENV: z.string().default('development'),
  CHANNEL_CONFIG_DIR: z.string().min(1).default(join(__dirname, '..', '..', 'config')),
  AVAILABILITY_RULES_DIR: z.string().min(1).default(join(__dirname, '..', '..', 'config', 'availability')),
  AVAILABILITY_PARTNERS_DIR: z.string().min(1).optional(),
});

export interface HubConfig {
  host: string;
  ports: { gateway: number; erp: number; wms: number; commerce: number; shipping: number };
  simulatorPorts: { erp: number; wms: number; commerce: number; shipping: number };
  simulatorLatencyMs: number;
  jwtSecret: string;
  /** True when no HUB_JWT_SECRET was given and the public dev key signs tokens. */
  usingDevKey: boolean;
  subgraphSecret: string;
  backendTimeoutMs: number;
  subgraphTimeoutMs: number;
  development: boolean;
  supergraphPath: string;
  /** Real Redis and MongoDB when given (docker-compose); in-process substitutes when null. */
  redisUrl: string | null;
  mongoUrl: string | null;
  /** EDI partner files (partners/*.json) and store channel files (channels/*.json). */
  channelConfigDir: string;
  /** Channel rules of the available-to-sell feeds (default: the repository's config/availability), watched for changes. */
  availabilityRulesDir: string;
  /** Partner files of 846 feeds (default: the partners of channelConfigDir). */
  availabilityPartnersDir: string;
}

/** All-in-one configuration: everything has a default, so `npm start` works on a bare machine. */
export function readHubConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const c = readConfig(schema, env);
  return {
    host: c.HOST,
    ports: { gateway: c.PORT, erp: c.ERP_PORT, wms: c.WMS_PORT, commerce: c.COMMERCE_PORT, shipping: c.SHIPPING_PORT },
    simulatorPorts: { erp: c.SIM_ERP_PORT, wms: c.SIM_WMS_PORT, commerce: c.SIM_COMMERCE_PORT, shipping: c.SIM_SHIPPING_PORT },
    simulatorLatencyMs: c.SIM_LATENCY_MS,
    jwtSecret: c.HUB_JWT_SECRET ?? DEV_JWT_SECRET,
    usingDevKey: c.HUB_JWT_SECRET === undefined,
    // A fresh key per run: nothing outside this process needs to know it.
    subgraphSecret: c.HUB_SUBGRAPH_SECRET ?? randomBytes(32).toString('hex'),
    backendTimeoutMs: c.BACKEND_TIMEOUT_MS,
    subgraphTimeoutMs: c.SUBGRAPH_TIMEOUT_MS,
    development: c.NODE_ENV === 'development',
    supergraphPath: c.SUPERGRAPH_PATH,
    redisUrl: c.REDIS_URL ?? null,
    mongoUrl: c.MONGO_URL ?? null,
    channelConfigDir: c.CHANNEL_CONFIG_DIR,
    availabilityRulesDir: c.AVAILABILITY_RULES_DIR,
    availabilityPartnersDir: c.AVAILABILITY_PARTNERS_DIR ?? join(c.CHANNEL_CONFIG_DIR, 'partners'),
  };
}
