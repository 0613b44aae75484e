import { resolve } from 'node:path';
import { loadChannelRules, type ChannelRules } from '@crossdock/availability';
import { readNamedConfig } from '@crossdock/service';
import { z } from 'zod';

/** The available-to-sell feeds' configuration, read once at start. */
export interface AvailabilityConfig {
  rules: ChannelRules[];
  /** AVAILABILITY_PARTNERS_DIR: partner files for 846 feeds (default config/partners). */
  partnersDir: string;
  /** AVAILABILITY_COALESCE_MS: changes within this window become one push per SKU and location (default 200). */
  coalesceMs: number;
}

const schema = z.object({
  rulesDir: z.string().min(1).optional(),
  partnersDir: z.string().min(1).default('config/partners'),
  coalesceMs: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0).max(60_000).default(200),
});

/**
 * AVAILABILITY_RULES_DIR names the folder of channel rules (e.g. config/availability); unset, no
 * feeds run (null). Bad rules stop the start with a message naming the file and value.
 */
export function readAvailabilityConfig(env: NodeJS.ProcessEnv = process.env): AvailabilityConfig | null {
  const config = readNamedConfig(schema, { rulesDir: 'AVAILABILITY_RULES_DIR', partnersDir: 'AVAILABILITY_PARTNERS_DIR', coalesceMs: 'AVAILABILITY_COALESCE_MS' }, env);
  if (!config.rulesDir) return null;
  return { rules: loadChannelRules(resolve(config.rulesDir)), partnersDir: resolve(config.partnersDir), coalesceMs: config.coalesceMs };
}
