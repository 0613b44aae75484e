import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr: stdout is reserved for the one-line `{"service","port"}`
 * readiness report that launchers and tests read.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } }, pino.destination(2));
}
