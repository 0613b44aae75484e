import { readFileSync } from 'node:fs';
import { ConfigError } from '@crossdock/service';
import { z } from 'zod';
import { CLIENT_CLASSES, type ClientClass } from './client-class';

/** A sustained `requests` per `windowSeconds` per subject, in bursts of up to `requests` (token bucket). */
export interface RateLimitRule {
  requests: number;
  windowSeconds: number;
}

/** Everything the gateway enforces for one client class. */
export interface ClassLimits {
  /** Deepest field nesting, e.g. `{ a { b } }` is 2; introspection's `__` fields don't count. */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexer tokens of the document (punctuators, names, values; comments are free). */
  maxTokens: number;
  maxBodyBytes: number;
  /** Static cost (operation-cost.ts), refused before planning when above. */
  maxCost: number;
  /** Null: no rate limit for this class. */
  rateLimit: RateLimitRule | null;
  /** `__schema` / `__type` allowed. */
  introspection: boolean;
  /** Keep graphql-js' "Did you mean …?" hints, which reveal field and enum names. */
  suggestions: boolean;
  /** Only operations from the trusted-document manifest are run. */
  trustedOnly: boolean;
}

/** A field's cost settings, as `@cost` / `@listSize` on it would say (demand-control spec). */
export interface FieldCost {
  weight?: number;
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

export interface CostSettings {
  /** Size assumed for a list field nothing else sizes. */
  defaultListSize: number;
  /** Added once per mutation operation: writes cost more than their selection shows. */
  mutationWeight: number;
  /** By `Type.field`; wins over `@cost` / `@listSize` in the supergraph. */
  fields: Record<string, FieldCost>;
  /** Weight of a named type (object, scalar, enum), as `@cost` on the type. */
  types: Record<string, number>;
}

export interface LimitsPolicy {
  classes: Record<ClientClass, ClassLimits>;
  /** Named clients (`apollographql-client-name`) that run trusted documents only, whatever their class. */
  trustedOnlyClients: string[];
  cost: CostSettings;
}

const MINUTE = 60;

/**
 * Built-in limits. Internal frontends and operators get room for the unified order view and
 * tooling; portals and partners get what their screens and integrations need, no introspection
 * and no schema hints in error messages.
 */
export const DEFAULT_LIMITS: LimitsPolicy = {
  classes: {
    internal: {
      maxDepth: 15,
      maxAliases: 50,
      maxDirectives: 50,
      maxTokens: 10_000,
      maxBodyBytes: 1_000_000,
      maxCost: 20_000,
      // Internal callers are services (frontend BFFs) speaking for many people: a generous per-subject rate.
      rateLimit: { requests: 120_000, windowSeconds: MINUTE },
      introspection: true,
      suggestions: true,
      trustedOnly: false,
    },
    portal: {
      maxDepth: 10,
      maxAliases: 15,
      maxDirectives: 10,
      maxTokens: 2_000,
      maxBodyBytes: 64 * 1024,
      maxCost: 5_000,
      rateLimit: { requests: 600, windowSeconds: MINUTE },
      introspection: false,
      suggestions: false,
      trustedOnly: false,
    },
    partner: {
      maxDepth: 10,
      maxAliases: 20,
      maxDirectives: 10,
      maxTokens: 3_000,
      // Partners place orders with many lines in one mutation.
      maxBodyBytes: 512 * 1024,
      maxCost: 5_000,
      rateLimit: { requests: 1_200, windowSeconds: MINUTE },
      introspection: false,
      suggestions: false,
      trustedOnly: false,
    },
  },
  trustedOnlyClients: [],
  cost: { defaultListSize: 10, mutationWeight: 10, fields: {}, types: {} },
};

const count = z.number().int().min(0);
const classLimitsFile = z.strictObject({
  maxDepth: count.optional(),
  maxAliases: count.optional(),
  maxDirectives: count.optional(),
  maxTokens: z.number().int().min(1).optional(),
  maxBodyBytes: z.number().int().min(1).optional(),
  maxCost: count.optional(),
  rateLimit: z
    .strictObject({ requests: z.number().int().min(1), windowSeconds: z.number().positive() })
    .nullable()
    .optional(),
  introspection: z.boolean().optional(),
  suggestions: z.boolean().optional(),
  trustedOnly: z.boolean().optional(),
});
const fieldCostFile = z.strictObject({
  weight: z.number().min(0).optional(),
  assumedSize: count.optional(),
  slicingArguments: z.array(z.string().min(1)).optional(),
  sizedFields: z.array(z.string().min(1)).optional(),
});
/** Zod reports a bad record key without saying why; this names the key and the rule. */
function keysMatch(pattern: RegExp, message: string) {
  return z.superRefine((record: Record<string, unknown>, ctx) => {
    for (const key of Object.keys(record)) if (!pattern.test(key)) ctx.addIssue({ code: 'custom', message, path: [key] });
  });
}

const limitsFile = z.strictObject({
  classes: z.partialRecord(z.enum(CLIENT_CLASSES), classLimitsFile).optional(),
  trustedOnlyClients: z.array(z.string().min(1)).optional(),
  cost: z
    .strictObject({
      defaultListSize: count.optional(),
      mutationWeight: z.number().min(0).optional(),
      fields: z.record(z.string(), fieldCostFile).check(keysMatch(/^[_A-Za-z]\w*\.[_A-Za-z]\w*$/, 'must be "Type.field"')).optional(),
      types: z.record(z.string(), z.number().min(0)).check(keysMatch(/^[_A-Za-z]\w*$/, 'must be a type name')).optional(),
    })
    .optional(),
});

/** The limits file's shape: every key optional, each one given overrides the built-in default. */
export type LimitsFile = z.input<typeof limitsFile>;

/** Merges a limits file's content over the defaults; throws ConfigError naming each bad key. */
export function limitsPolicyFrom(content: unknown, source = 'limits'): LimitsPolicy {
  const parsed = limitsFile.safeParse(content);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new ConfigError(`invalid ${source}:\n${problems.join('\n')}`);
  }
  const file = parsed.data;
  const classOf = (name: ClientClass) => classLimits(DEFAULT_LIMITS.classes[name], file.classes?.[name] ?? {});
  return {
    classes: { internal: classOf('internal'), portal: classOf('portal'), partner: classOf('partner') },
    trustedOnlyClients: file.trustedOnlyClients ?? DEFAULT_LIMITS.trustedOnlyClients,
    cost: {
      defaultListSize: file.cost?.defaultListSize ?? DEFAULT_LIMITS.cost.defaultListSize,
      mutationWeight: file.cost?.mutationWeight ?? DEFAULT_LIMITS.cost.mutationWeight,
      fields: file.cost?.fields ?? {},
      types: file.cost?.types ?? {},
    },
  };
}

/** Reads GATEWAY_LIMITS_PATH's JSON file, or the defaults when no path is given. */
export function loadLimitsPolicy(path: string | null): LimitsPolicy {
  if (path === null) return DEFAULT_LIMITS;
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`GATEWAY_LIMITS_PATH ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return limitsPolicyFrom(content, `GATEWAY_LIMITS_PATH ${path}`);
}

function classLimits(defaults: ClassLimits, file: z.infer<typeof classLimitsFile>): ClassLimits {
  return {
    maxDepth: file.maxDepth ?? defaults.maxDepth,
    maxAliases: file.maxAliases ?? defaults.maxAliases,
    maxDirectives: file.maxDirectives ?? defaults.maxDirectives,
    maxTokens: file.maxTokens ?? defaults.maxTokens,
    maxBodyBytes: file.maxBodyBytes ?? defaults.maxBodyBytes,
    maxCost: file.maxCost ?? defaults.maxCost,
    // null switches the rate limit off, so only a missing key keeps the default.
    rateLimit: file.rateLimit === undefined ? defaults.rateLimit : file.rateLimit,
    introspection: file.introspection ?? defaults.introspection,
    suggestions: file.suggestions ?? defaults.suggestions,
    trustedOnly: file.trustedOnly ?? defaults.trustedOnly,
  };
}
