import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CHANNELS } from '@crossdock/model';
import { z } from 'zod';

const channelName = z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the secret (never the secret itself)');
const outboundDocument = z.enum(['997', '855', '856', '810']);

/** One item of a partner's cross-reference: any of its ids → our SKU. */
const itemSchema = z
  .object({
    sku: z.string().min(1),
    /** Buyer's part number (PO1 qualifier CB). */
    buyerPart: z.string().min(1).optional(),
    /** Vendor's (our) part number as the partner knows it (VN). */
    vendorPart: z.string().min(1).optional(),
    /** UPC/EAN (UP, UK, EN). */
    upc: z.string().min(1).optional(),
  })
  .refine((item) => item.buyerPart ?? item.vendorPart ?? item.upc, { message: 'needs at least one of buyerPart, vendorPart, upc' });

/** A unit the partner orders in, as a multiple of the SKU's unit: CA of 12 EA → `{ "CA": 12 }`. */
const uomSchema = z.record(z.string().regex(/^[A-Z0-9]{2}$/, 'must be an X12 unit code such as CA'), z.number().int().positive());

/**
 * An EDI trading partner, as data (config/partners/<id>.json). Adding a partner is adding a file.
 */
export const partnerSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'must be a lower-case slug such as acme-retail'),
  name: z.string().min(1),
  /** The sales channel its orders are booked under. */
  channel: channelName.default('edi'),
  /** The ERP customer (sell-to) its orders belong to. */
  customerId: z.string().min(1),
  /** ISA05/ISA06 the partner sends from. */
  isa: z.object({ qualifier: z.string().length(2), id: z.string().min(1).max(15) }),
  /** Our ISA07/ISA08 as the partner addresses us, and what we send from. */
  receiver: z.object({ qualifier: z.string().length(2), id: z.string().min(1).max(15) }),
  /** HTTP intake: Basic auth user = partner id, password hashed here. */
  auth: z.object({ secretSha256: sha256Hex }),
  items: z.array(itemSchema).default([]),
  uom: uomSchema.default({}),
  /** Outbound documents the partner wants. 997 is sent for every interchange whatever this says. */
  documents: z.array(outboundDocument).default(['997', '855']),
  /** Ship what is available and backorder the rest (855 IB lines), instead of refusing the PO. */
  backorders: z.boolean().default(false),
  /** Where documents are POSTed (AS2/VAN gateways accept HTTP); null: the partner pulls them through `ediDocuments`. */
  delivery: z.object({ url: z.url(), headers: z.record(z.string(), z.string()).default({}) }).nullable().default(null),
  usage: z.enum(['P', 'T']).default('P'),
});
export type TradingPartner = z.infer<typeof partnerSchema>;

/** Shopify store settings (config/channels/shopify.json). */
export const shopifySchema = z.object({
  kind: z.literal('shopify'),
  /** Env var holding the app's webhook secret (HMAC key); the secret is never in the file. */
  secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  channel: channelName.default('web'),
  /** The ERP customer web orders are booked to (a store's consumers are not ERP accounts). */
  customerId: z.string().min(1),
  /** Store SKU → our SKU, where they differ. */
  skus: z.record(z.string(), z.string()).default({}),
});

/** A marketplace described by a JSONata mapping (config/channels/<name>.json + the .jsonata file). */
export const mappedChannelSchema = z.object({
  kind: z.literal('mapped'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  channel: channelName.default('marketplace'),
  /** Path of the JSONata file, relative to this file. */
  mapping: z.string().min(1),
  secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  /** Header carrying the base64 HMAC-SHA256 of the raw body. */
  signatureHeader: z.string().min(1).default('x-signature-sha256'),
  /** Header carrying the delivery id, for deduplication. */
  deliveryIdHeader: z.string().min(1).default('x-delivery-id'),
});

const channelFileSchema = z.discriminatedUnion('kind', [shopifySchema, mappedChannelSchema]);
export type ShopifyChannelConfig = z.infer<typeof shopifySchema> & { secret: string };
export type MappedChannelConfig = z.infer<typeof mappedChannelSchema> & { secret: string; expression: string };

/** Everything channel intake is configured with, read and validated once at start. */
export interface ChannelConfig {
  partners: TradingPartner[];
  shopify: ShopifyChannelConfig | null;
  mapped: MappedChannelConfig[];
  /** Channel files left out because their secret's environment variable is unset (one line each, for the log). */
  disabled: string[];
}

/** A config file that does not validate; the message names the file and every bad value. */
export class ChannelConfigError extends Error {
  override name = 'ChannelConfigError';
}

/**
 * Reads `<dir>/partners/*.json` and `<dir>/channels/*.json`; a missing folder means none. Secrets
 * come from the environment variables the files name; a channel whose variable is unset is left
 * out (and listed in `disabled`), so a deployment without that store still starts. Throws
 * ChannelConfigError naming each bad value.
 */
export function loadChannelConfig(dir: string, env: NodeJS.ProcessEnv = process.env): ChannelConfig {
  return { partners: loadPartners(dir), ...loadStoreChannels(dir, env) };
}

/** The trading partners alone (`<dir>/partners/*.json`), validated as loadChannelConfig does (a reload reads them again). */
export function loadPartners(dir: string): TradingPartner[] {
  const partners = jsonFiles(join(dir, 'partners')).map(({ path, value }) => parseFile(partnerSchema, value, path));
  checkUnique(partners.map((p) => p.id), 'partner id');
  checkUnique(partners.map((p) => `${p.isa.qualifier}/${p.isa.id}`), 'partner ISA sender');
  return partners;
}

/** The store and marketplace channels alone (`<dir>/channels/*.json`), as loadChannelConfig reads them: what a webhook door needs. */
export function loadStoreChannels(dir: string, env: NodeJS.ProcessEnv = process.env): Omit<ChannelConfig, 'partners'> {
  const channels = jsonFiles(join(dir, 'channels')).map(({ path, value }) => ({ path, config: parseFile(channelFileSchema, value, path) }));
  let shopify: ShopifyChannelConfig | null = null;
  const mapped: MappedChannelConfig[] = [];
  const disabled: string[] = [];
  for (const { path, config } of channels) {
    const secret = env[config.secretEnv];
    if (!secret) {
      disabled.push(`${path}: not served, ${config.secretEnv} (its webhook secret) is not set`);
      continue;
    }
    if (config.kind === 'shopify') shopify = { ...config, secret };
    else mapped.push({ ...config, secret, expression: readFileSync(resolve(dirname(path), config.mapping), 'utf8') });
  }
  return { shopify, mapped, disabled };
}

/** The hex SHA-256 a partner file stores for a secret. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function jsonFiles(dir: string): { path: string; value: unknown }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      try {
        return { path, value: JSON.parse(readFileSync(path, 'utf8')) as unknown };
      } catch (error) {
        throw new ChannelConfigError(`${path}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
}

function parseFile<S extends z.ZodType>(schema: S, value: unknown, path: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ChannelConfigError(`${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'} ${issue.message}`).join('; ')}`);
}

function checkUnique(values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new ChannelConfigError(`two partner files use the same ${what} ${value}`);
    seen.add(value);
  }
}
