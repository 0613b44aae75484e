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
 * Lines are written in batches: once 4 KiB are waiting, within 250 ms of being logged, and synchronously
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

/** How often lines waiting in the batch are written at the latest. */
const FLUSH_INTERVAL_MS = 250;

/**
 * Batched lines to stderr (see createLogger), or one write per line when `sync`. The batch is
 * flushed every 250 ms only when a line was logged since the last flush: sonic-boom's own
 * `periodicFlush` writes every time, an empty write four times a second in an idle process.
 */
function stderrDestination(sync: boolean): DestinationStream {
  if (sync) return pino.destination({ dest: 2, sync: true });
  const destination = pino.destination({ dest: 2, sync: false, minLength: 4096 });
  const write = destination.write.bind(destination);
  let logged = false;
  destination.write = (line: string) => {
    logged = true;
    return write(line);
  };
  const timer = setInterval(() => {
    if (!logged) return;
    logged = false;
    destination.flush();
  }, FLUSH_INTERVAL_MS);
  // Like periodicFlush's timer: it does not keep the process alive, and pino flushes at exit.
  timer.unref();
  // A closed destination must not be flushed (sonic-boom throws).
  destination.on('close', () => clearInterval(timer));
  return destination;
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
