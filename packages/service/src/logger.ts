import { REDACTED_LOG_PATHS, traceIdsForLog } from '@crossdock/telemetry';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr: stdout is reserved for the one-line `{"service","port"}`
 * readiness report that launchers and tests read. Tests that check what was logged (an alarm)
 * pass their own `destination`, which receives one JSON line per entry.
 *
 * Credentials, secrets and contacts' personal data are censored wherever a caller passes them
 * (REDACTED_LOG_PATHS); with tracing on, every line carries the active `trace_id` and `span_id`.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  return pino(
    { name: service, level, base: { service }, redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' }, mixin: traceIdsForLog },
    destination ?? pino.destination(2),
  );
}

/** A destination that keeps every log entry in memory, parsed, for tests that assert on logs. */
export function memoryLogDestination(): DestinationStream & { entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  return {
    entries,
    write(line: string) {
      const entry: unknown = JSON.parse(line);
      if (typeof entry === 'object' && entry !== null) entries.push(Object.fromEntries(Object.entries(entry)));
    },
  };
}
