import type { Logger } from 'pino';

/** How often one alarm is logged at most while its cause persists. */
export const ALARM_INTERVAL_MS = 30_000;

/** Raises an alarm: an error log line naming the alarm, at most once per interval. */
export type Alarm = (message: string, error: unknown, details?: Record<string, unknown>) => void;

/**
 * An alarm for a failure that can repeat on every request (the snapshot store or Redis down):
 * logged at error level with `alarm: name`, at most once per `intervalMs`, each line saying how
 * many occurrences were not logged since the last one, so a dead dependency is visible in the
 * logs without flooding them.
 */
export function rateLimitedAlarm(logger: Logger, name: string, intervalMs = ALARM_INTERVAL_MS, now: () => number = Date.now): Alarm {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (message, error, details = {}) => {
    const at = now();
    if (at - lastLoggedAt < intervalMs) {
      suppressed += 1;
      return;
    }
    logger.error({ alarm: name, err: error, suppressed, ...details }, message);
    lastLoggedAt = at;
    suppressed = 0;
  };
}
