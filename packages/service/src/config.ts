import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates a service's configuration from the environment, once, at start. Every bad
 * value is reported together with its variable name, so an operator fixes them in one go.
 */
export function readConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw configError(result.error.issues, (path) => path.join('.'));
}

/**
 * Like readConfig, for a service whose variable names are chosen by its caller (`ERP_PORT`,
 * `WMS_PORT`, ...): the schema has fixed keys, so its result is fully typed, and `names` says
 * which variable fills each key. Problems are still reported by variable name.
 */
export function readNamedConfig<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  names: { readonly [K in keyof Shape]: string },
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  const variables = new Map<string, string>(Object.entries(names));
  const result = schema.safeParse(Object.fromEntries([...variables].map(([key, name]) => [key, env[name]])));
  if (result.success) return result.data;
  throw configError(result.error.issues, ([key, ...rest]) => [variables.get(String(key)) ?? key, ...rest].join('.'));
}

function configError(issues: readonly z.core.$ZodIssue[], label: (path: readonly PropertyKey[]) => string): ConfigError {
  const problems = issues.map((issue) => `  ${label(issue.path) || '(env)'}: ${issue.message}`);
  return new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** A TCP port from the environment; 0 asks the OS for a free one (tests). */
export const portVar = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

/** An http(s) URL from the environment. */
export const urlVar = (fallback?: string) =>
  fallback === undefined ? z.url({ protocol: /^https?$/ }) : z.url({ protocol: /^https?$/ }).default(fallback);

/** A positive number of milliseconds from the environment. */
export const millisVar = (fallback: number) => z.coerce.number().int().positive().default(fallback);
