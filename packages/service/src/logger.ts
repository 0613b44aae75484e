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
 *
 * Lines are written in batches: once 4 KiB are waiting, at least every 250 ms, and synchronously
 * when the process exits (pino flushes on `exit`, so a crash's last words are kept). Written one
 * by one, the gateway's request log line was a write to the stderr pipe per request, 6.5 % of its
 * CPU under placeOrder load. A process killed with SIGKILL loses at most the last 250 ms of lines;
 * `LOG_SYNC=true` writes every line at once instead, for chasing such a death.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  return pino(
    { name: service, level, base: { service }, redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' }, mixin: traceIdsForLog },
    destination ?? stderrDestination(process.env.LOG_SYNC === 'true'),
  );
}

/** Batched lines to stderr (see createLogger), or one write per line when `sync`. */
function stderrDestination(sync: boolean): DestinationStream {
  return sync ? pino.destination({ dest: 2, sync: true }) : pino.destination({ dest: 2, sync: false, minLength: 4096, periodicFlush: 250 });
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
