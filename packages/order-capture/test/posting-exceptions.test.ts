import { describe, expect, it } from '@jest/globals';
import { MemoryExceptionStore } from '@crossdock/exceptions';
import { MemoryOrderStore, queuedPostings, type PlacedOrder } from '@crossdock/orders';
import type { CaptureLogEntry } from '../src';
import { PostingExceptions, postingReport } from '../src/posting-exceptions';

const T0 = new Date('2026-03-02T08:00:00.000Z');

function order(overrides: Partial<PlacedOrder> = {}): PlacedOrder {
  return {
    id: 'ORD-H1',
    idempotencyKey: 'edi:po-1',
    channel: 'edi',
    externalRef: 'PO-1',
    customerId: 'CUST-0004',
    placedAt: T0.toISOString(),
    status: 'ACCEPTED',
    lines: [{ lineNumber: 1, sku: 'SKU-00001', quantity: 2, unitPrice: { amount: '10.00', currency: 'USD' } }],
    total: { amount: '20.00', currency: 'USD' },
    allocations: [{ warehouseId: 'WH-EAST', sku: 'SKU-00001', quantity: 2 }],
    postings: queuedPostings(T0),
    cancelledAt: null,
    cancelReason: null,
    ...overrides,
  };
}

describe('posting exceptions', () => {
  it('reports the posting kind, channel, the warehouse of a single-warehouse WMS posting, and the order verbatim', () => {
    const placed = order();
    expect(postingReport(placed, 'wms', new Error('wms backend: HTTP 500'), 4)).toEqual({
      kind: 'wms-posting',
      subject: 'ORD-H1',
      channel: 'edi',
      warehouseId: 'WH-EAST',
      reason: 'wms backend: HTTP 500',
      rawPayload: JSON.stringify(placed),
      attempts: 4,
    });
    const split = order({ allocations: [...placed.allocations, { warehouseId: 'WH-WEST', sku: 'SKU-00001', quantity: 1 }] });
    expect(postingReport(split, 'wms', 'x', 1).warehouseId).toBeNull();
    expect(postingReport(placed, 'erp', 'x', 1)).toMatchObject({ kind: 'erp-posting', warehouseId: null });
  });

  it('records a FAILED posting with the stored order as payload, and replays it by requeueing it once', async () => {
    const orders = new MemoryOrderStore();
    const exceptions = new MemoryExceptionStore();
    const log: CaptureLogEntry[] = [];
    const postings = new PostingExceptions({ orders, exceptions, log: (entry) => log.push(entry), clock: () => T0 });
    const placed = order();
    await orders.insert(placed);
    await orders.claim(placed.id, ['erp'], T0, 1_000);
    await orders.recordAttempts(placed.id, [{ target: 'erp', outcome: 'failed', error: 'erp backend: HTTP 500', nextAttemptAt: T0, giveUp: true }]);

    postings.onPostingFailed(placed, 'erp', new Error('erp backend: HTTP 500'));
    await postings.drain();
    const { items } = await exceptions.list({}, { first: 10, after: null });
    expect(items).toEqual([expect.objectContaining({ kind: 'erp-posting', subject: placed.id, attempts: 1, reason: 'erp backend: HTTP 500' })]);
    expect(JSON.parse(items[0]!.rawPayload)).toMatchObject({ id: placed.id, postings: { erp: { state: 'FAILED', lastError: 'erp backend: HTTP 500' } } });
    expect(log).toEqual([expect.objectContaining({ level: 'error', orderId: placed.id, target: 'erp' })]);

    const replay = postings.replayHandlers()['erp-posting'];
    expect(await replay(items[0]!)).toEqual({ replayed: true, note: `the erp posting of ${placed.id} is queued again; the outbox posts it` });
    expect((await orders.get([placed.id]))[0]?.postings.erp).toMatchObject({ state: 'QUEUED', attempts: 0, nextAttemptAt: T0.toISOString() });
    expect(await replay(items[0]!)).toEqual({ replayed: true, note: `the erp posting of ${placed.id} is QUEUED already; nothing to requeue` });
    expect(await replay({ ...items[0]!, subject: 'ORD-HGONE' })).toEqual({ replayed: false, reason: 'order ORD-HGONE is not in the order store; discard this exception' });
  });
});
