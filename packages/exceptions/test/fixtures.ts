import { randomUUID } from 'node:crypto';
import type { ExceptionReport, ExceptionStore } from '../src';

/** A fixed start time: tests move time by passing `now`, never by waiting. */
export const T0 = new Date('2026-03-02T08:00:00.000Z');

export function at(offsetMs: number): Date {
  return new Date(T0.getTime() + offsetMs);
}

/** A store under test plus how to open a second handle on the same data, as another replica would. */
export interface OpenedExceptionStore {
  store: ExceptionStore;
  replica(): Promise<ExceptionStore>;
}

/** Opens a fresh, empty store for one test. */
export type OpenExceptionStore = () => Promise<OpenedExceptionStore>;

/** An ERP posting failure report for a fresh order id. */
export function postingReport(overrides: Partial<ExceptionReport> = {}): ExceptionReport {
  const orderId = overrides.subject ?? `ORD-H${randomUUID()}`;
  return {
    kind: 'erp-posting',
    subject: orderId,
    channel: 'web',
    warehouseId: null,
    reason: 'HTTP 500 from the ERP',
    rawPayload: JSON.stringify({ id: orderId, lines: [{ sku: 'SKU-1', quantity: 2 }] }),
    attempts: 3,
    ...overrides,
  };
}
