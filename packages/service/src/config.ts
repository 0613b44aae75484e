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
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** A TCP port from the environment; 0 asks the OS for a free one (tests). */
export const portVar = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

/** An http(s) URL from the environment. */
export const urlVar = (fallback?: string) =>
  fallback === undefined ? z.url({ protocol: /^https?$/ }) : z.url({ protocol: /^https?$/ }).default(fallback);

/** A positive number of milliseconds from the environment. */
export const millisVar = (fallback: number) => z.coerce.number().int().positive().default(fallback);
