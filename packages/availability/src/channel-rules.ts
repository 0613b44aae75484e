import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS } from '@crossdock/model';
import { z } from 'zod';

const warehouseId = z.string().min(1);
const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name such as SHOPIFY_ADMIN_URL');

/** A Shopify-style store: one `inventory_levels/set` call per SKU and location. */
const shopifyConnector = z.object({
  kind: z.literal('shopify'),
  /** Env var holding the store's admin base URL (the commerce simulator in tests). */
  urlEnv: envName,
  /** Our warehouse → the store's location id. Only these warehouses are told to the store. */
  locations: z.record(warehouseId, z.number().int().positive()),
});

/** A marketplace inventory feed: batches of `{ sku, quantity }` for the whole channel. */
const marketplaceConnector = z.object({
  kind: z.literal('marketplace'),
  urlEnv: envName,
  /** The marketplace's name in its feed path (`/marketplace/<name>/inventory.json`). */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  /** SKUs per feed request (its API's page limit). */
  batchSize: z.number().int().min(1).max(500).default(100),
});

/** An EDI trading partner: X12 846 inventory advice, items as the partner's cross-reference names them. */
const ediConnector = z.object({
  kind: z.literal('edi-846'),
  urlEnv: envName,
  /** The partner id of config/partners/<partner>.json (ISA ids and item cross-reference come from there). */
  partner: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  /** Items per 846 document. */
  batchSize: z.number().int().min(1).max(1000).default(200),
});

/**
 * One channel's allocation rules (config/availability/<channel>.json). What a channel may sell of
 * a SKU at a location is: ATP of the warehouses it may sell from, times `sharePercent`, minus
 * `bufferUnits`, at most `maxListed`, and 0 below `floorUnits`.
 */
export const channelRulesSchema = z.object({
  channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }),
  /** Units held back from this channel (they sell on others or cover late updates). */
  bufferUnits: z.number().int().min(0).default(0),
  /** The share of ATP this channel may sell, 1–100. Shares over channels sharing a warehouse must sum to at most 100. */
  sharePercent: z.number().int().min(1).max(100).default(100),
  /** Never list more than this (null: no cap). */
  maxListed: z.number().int().min(0).nullable().default(null),
  /** Below this the channel shows 0, so it never sells the last units it would only oversell. */
  floorUnits: z.number().int().min(0).default(0),
  /** Warehouses that may serve the channel (null: every warehouse). */
  warehouses: z.array(warehouseId).min(1).nullable().default(null),
  /** One figure per warehouse (a store with locations) or one for the whole channel. */
  perLocation: z.boolean().default(false),
  /** The channel API's own limit: requests per second and burst (a leaky bucket), and requests under way at once. */
  rateLimit: z
    .object({ requestsPerSecond: z.number().positive().max(10_000), burst: z.number().int().min(1).max(10_000), concurrency: z.number().int().min(1).max(64).default(4) })
    .default({ requestsPerSecond: 2, burst: 40, concurrency: 4 }),
  /** Full resync: every how many minutes (0: on demand only), and SKUs per chunk. */
  resync: z.object({ intervalMinutes: z.number().int().min(0).default(0), chunkSize: z.number().int().min(1).max(1000).default(50) }).default({ intervalMinutes: 0, chunkSize: 50 }),
  connector: z.discriminatedUnion('kind', [shopifyConnector, marketplaceConnector, ediConnector]),
});

export type ChannelRules = z.infer<typeof channelRulesSchema>;
export type ChannelConnectorConfig = ChannelRules['connector'];

/** A rules file (or a set of them) that does not validate; the message names the file and every bad value. */
export class ChannelRulesError extends Error {
  override name = 'ChannelRulesError';
}

/** Parses one channel's rules; throws ChannelRulesError naming each bad value. */
export function parseChannelRules(value: unknown, source = 'channel rules'): ChannelRules {
  const parsed = channelRulesSchema.safeParse(value);
  if (!parsed.success) throw new ChannelRulesError(`${source}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'} ${issue.message}`).join('; ')}`);
  const rules = parsed.data;
  const connector = rules.connector;
  if (connector.kind === 'shopify') {
    if (!rules.perLocation) throw new ChannelRulesError(`${source}: a shopify connector sets stock per location; set "perLocation": true`);
    const missing = (rules.warehouses ?? []).filter((id) => !(id in connector.locations));
    if (missing.length > 0) throw new ChannelRulesError(`${source}: connector.locations has no store location for warehouse ${missing.join(', ')}`);
    // A store is told only about its locations: those are the warehouses it sells from.
    return { ...rules, warehouses: rules.warehouses ?? Object.keys(connector.locations).sort() };
  } else if (rules.perLocation) {
    throw new ChannelRulesError(`${source}: a ${connector.kind} connector takes one figure per SKU; "perLocation" must be false`);
  }
  return rules;
}

/**
 * Checks a set of channels together: one file per channel, and shares that never promise the
 * same unit twice (per warehouse, the shares of the channels it serves sum to at most 100).
 */
export function checkRuleSet(rules: readonly ChannelRules[], warehouseIds: readonly string[] | null = null): void {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.channel)) throw new ChannelRulesError(`two rules files configure channel ${r.channel}`);
    seen.add(r.channel);
  }
  const named = new Set([...(warehouseIds ?? []), ...rules.flatMap((r) => r.warehouses ?? [])]);
  const check = (id: string, channels: readonly ChannelRules[]) => {
    const total = channels.reduce((sum, r) => sum + r.sharePercent, 0);
    if (total > 100) {
      throw new ChannelRulesError(`warehouse ${id}: shares of ${channels.map((r) => `${r.channel} ${r.sharePercent}%`).join(' + ')} = ${total}% promise more than the stock; make them sum to at most 100`);
    }
  };
  for (const id of named) check(id, rules.filter((r) => r.warehouses === null || r.warehouses.includes(id)));
  if (named.size === 0) check('(every)', rules);
}

/** Reads `<dir>/*.json` (a missing folder means no channel is fed); throws ChannelRulesError. */
export function loadChannelRules(dir: string): ChannelRules[] {
  if (!existsSync(dir)) return [];
  const rules = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new ChannelRulesError(`${path}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      return parseChannelRules(value, path);
    });
  checkRuleSet(rules);
  return rules;
}
