import { z } from 'zod';
import type { StreamRetention } from './ports';

/** Environment variables of the event bus, read by every service that appends or reads events. */
export const EVENT_ENV = {
  maxLength: 'EVENT_STREAM_MAXLEN',
  maxAgeMs: 'EVENT_STREAM_MAX_AGE_MS',
} as const;

const retentionSchema = z.object({
  // A day of busy stock movements; a client resuming within it misses nothing.
  maxLength: z.coerce.number().int().positive().default(100_000),
  maxAgeMs: z.coerce.number().int().positive().optional(),
});

/**
 * Stream retention from the environment: `EVENT_STREAM_MAXLEN` (default 100000 entries per
 * stream, trimmed approximately) or, when set, `EVENT_STREAM_MAX_AGE_MS` (entries younger than
 * that are kept, whatever their number). A cursor older than what is kept is refused with
 * CURSOR_EXPIRED, never skipped silently.
 */
export function readEventRetention(env: NodeJS.ProcessEnv = process.env): StreamRetention {
  const result = retentionSchema.safeParse({ maxLength: env[EVENT_ENV.maxLength] || undefined, maxAgeMs: env[EVENT_ENV.maxAgeMs] || undefined });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${EVENT_ENV[issue.path[0] === 'maxAgeMs' ? 'maxAgeMs' : 'maxLength']}: ${issue.message}`);
    throw new Error(`invalid configuration:\n${problems.join('\n')}`);
  }
  return { maxLength: result.data.maxLength, maxAgeMs: result.data.maxAgeMs ?? null };
}
