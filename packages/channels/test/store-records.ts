import type { EdiDocument, PurchaseOrderRecord, WebhookDelivery } from '../src';

/** The tests' clock: records are due at it. */
export const now = new Date('2026-11-26T10:00:00Z');

/** PO1 of partner acme, pending; overrides make any other. */
export function purchaseOrder(overrides: Partial<PurchaseOrderRecord> = {}): PurchaseOrderRecord {
  return { id: 'acme:PO1', partnerId: 'acme', poNumber: 'PO1', poDate: '2026-11-26', interchangeId: 'acme:000000001', outcome: 'pending', attempt: 1, orderId: null, lines: [], followUpsOpen: false, updatedAt: now.toISOString(), ...overrides };
}

/** A 997 for acme with its id as reference, queued for delivery now. */
export function document(id: string, overrides: Partial<EdiDocument> = {}): EdiDocument {
  return {
    id,
    partnerId: 'acme',
    type: '997',
    reference: id,
    orderId: null,
    controlNumber: '000000001',
    status: 'A',
    body: 'ISA…',
    createdAt: now.toISOString(),
    delivery: { state: 'QUEUED', attempts: 0, nextAttemptAt: now.toISOString(), lastError: null, deliveredAt: null },
    ...overrides,
  };
}

/** A Shopify orders/create delivery, pending and due now. */
export function webhook(id: string, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return { id, source: 'shopify', topic: 'orders/create', rawBody: '{}', receivedAt: now.toISOString(), state: 'PENDING', attempts: 0, nextAttemptAt: now.toISOString(), lastError: null, outcome: null, replays: 0, ...overrides };
}
