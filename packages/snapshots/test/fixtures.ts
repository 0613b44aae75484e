import { BackendError, type BackendErrorKind } from '@crossdock/connectors';
import { createLogger, DegradedReport, memoryLogDestination, type Logger } from '@crossdock/service';

export const T0 = new Date('2026-11-26T10:00:00.000Z');
export const MINUTE = 60_000;

/** A clock the test moves by hand. */
export function manualClock(start = T0): { now: () => Date; advance(ms: number): void } {
  let current = start.getTime();
  return { now: () => new Date(current), advance: (ms) => void (current += ms) };
}

/** A backend failure as the connectors report it. */
export function backendFailure(kind: BackendErrorKind = 'reset'): BackendError {
  return new BackendError({ backend: 'erp', kind, message: `simulated ${kind}` });
}

/** A logger whose entries the test can read. */
export function capturedLogger(): { logger: Logger; entries: Record<string, unknown>[] } {
  const destination = memoryLogDestination();
  return { logger: createLogger('snapshots-test', 'info', destination), entries: destination.entries };
}

/** A fresh per-request report, as a subgraph's context makes one. */
export const newReport = () => new DegradedReport('erp');
