import { z } from 'zod';
import { DEFAULT_CIRCUIT_SETTINGS, type CircuitSettings } from './circuit-state';

/** Everything a main configures about its backends' resilience, from the environment. */
export interface ResilienceSettings extends CircuitSettings {
  /** Retry a failed safe read once. */
  retryReads: boolean;
}

const millis = (fallback: number) => z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number of milliseconds').positive('must be above 0').default(fallback);

/**
 * The settings as a zod object. A main that reads its config with `readNamedConfig` can extend
 * its own schema with `.shape` and its variable names with RESILIENCE_ENV, so that every bad
 * value is reported in one go.
 */
export const resilienceSettingsSchema = z.object({
  failureRate: z.coerce.number({ error: 'must be a number' }).gt(0, 'must be above 0').max(1, 'must be at most 1 (a share of calls, e.g. 0.5)').default(DEFAULT_CIRCUIT_SETTINGS.failureRate),
  minimumCalls: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(DEFAULT_CIRCUIT_SETTINGS.minimumCalls),
  windowMs: millis(DEFAULT_CIRCUIT_SETTINGS.windowMs),
  openMs: millis(DEFAULT_CIRCUIT_SETTINGS.openMs),
  retryReads: z
    .enum(['0', '1'], { error: 'must be 1 (retry a failed safe read once) or 0 (never retry)' })
    .default('1')
    .transform((value) => value === '1'),
});

/** Which variable fills each setting. */
export const RESILIENCE_ENV = {
  failureRate: 'CIRCUIT_FAILURE_RATE',
  minimumCalls: 'CIRCUIT_MIN_CALLS',
  windowMs: 'CIRCUIT_WINDOW_MS',
  openMs: 'CIRCUIT_OPEN_MS',
  retryReads: 'READ_RETRY',
} as const satisfies Record<keyof ResilienceSettings, string>;

/**
 * Reads CIRCUIT_FAILURE_RATE (0.5), CIRCUIT_MIN_CALLS (5), CIRCUIT_WINDOW_MS (10000),
 * CIRCUIT_OPEN_MS (5000) and READ_RETRY (1) once, at start. Throws one error naming every bad
 * variable.
 */
export function readResilienceSettings(env: NodeJS.ProcessEnv = process.env): ResilienceSettings {
  const input = Object.fromEntries(Object.entries(RESILIENCE_ENV).map(([key, name]) => [key, env[name]]));
  const result = resilienceSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  const names = new Map<PropertyKey, string>(Object.entries(RESILIENCE_ENV));
  const problems = result.error.issues.map((issue) => `  ${names.get(issue.path[0] ?? '') ?? issue.path.join('.')}: ${issue.message}`);
  throw new Error(`invalid configuration:\n${problems.join('\n')}`);
}
