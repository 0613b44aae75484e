import { describe, expect, it } from '@jest/globals';
import { parcelLines } from '../src/follow-up-documents';
import type { PurchaseOrderLineRecord, PurchaseOrderRecord } from '../src';

function line(assignedId: string, sku: string | null, quantity: number, factor = 1, uom = 'EA'): PurchaseOrderLineRecord {
  return { assignedId, productIds: [{ qualifier: 'VN', value: `V-${assignedId}` }], uom, quantity, unitPrice: null, sku, factor };
}

function po(lines: PurchaseOrderLineRecord[]): PurchaseOrderRecord {
  return { id: 'p:PO-1', partnerId: 'p', poNumber: 'PO-1', poDate: '2026-11-01', interchangeId: 'p:1', outcome: 'accepted', attempt: 1, orderId: 'ORD-1', lines, followUpsOpen: true, updatedAt: '2026-11-01T00:00:00.000Z' };
}

const summary = (lines: ReturnType<typeof parcelLines>) => lines.map((l) => [l.assignedId, l.quantity, l.uom]);

describe('what an 856 says a parcel holds', () => {
  const order = po([line('1', 'SKU-A', 10), line('2', 'SKU-B', 4), line('3', null, 2)]);
  const allocations = [
    { warehouseId: 'WH-EAST', sku: 'SKU-A', quantity: 6 },
    { warehouseId: 'WH-WEST', sku: 'SKU-A', quantity: 4 },
    { warehouseId: 'WH-WEST', sku: 'SKU-B', quantity: 4 },
  ];

  it('lists only the lines allocated at the warehouse the parcel left from, with those quantities', () => {
    expect(summary(parcelLines(order, allocations, 'WH-EAST'))).toEqual([['1', 6, 'EA']]);
    expect(summary(parcelLines(order, allocations, 'WH-WEST'))).toEqual([
      ['1', 4, 'EA'],
      ['2', 4, 'EA'],
    ]);
  });

  it('lists every allocated line when the parcel’s warehouse is unknown (null)', () => {
    expect(summary(parcelLines(order, allocations, null))).toEqual([
      ['1', 10, 'EA'],
      ['2', 4, 'EA'],
    ]);
  });

  it('fills two lines of one item in order, and states quantities in the partner’s unit', () => {
    const cases = po([line('1', 'SKU-C', 1, 12, 'CA'), line('2', 'SKU-C', 2, 12, 'CA')]);
    // 30 units from this warehouse: line 1's case (12), then 18 of line 2's 24 = 1.5 cases.
    expect(summary(parcelLines(cases, [{ warehouseId: 'WH-EAST', sku: 'SKU-C', quantity: 30 }], 'WH-EAST'))).toEqual([
      ['1', 1, 'CA'],
      ['2', 1.5, 'CA'],
    ]);
  });

  it('lists nothing for a warehouse that allocated nothing of the PO', () => {
    expect(parcelLines(order, allocations, 'WH-NORTH')).toEqual([]);
  });
});
