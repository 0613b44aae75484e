import { describe, expect, it } from '@jest/globals';
import { availableOf, checkPageSize, CursorError, decodeCursor, encodeCursor, toIsoUtc } from '../src';

describe('cursors', () => {
  it('round-trips a continuation and refuses a cursor of another list', () => {
    const cursor = encodeCursor('orders', 'page=3');
    expect(decodeCursor('orders', cursor)).toBe('page=3');
    expect(() => decodeCursor('products', cursor)).toThrow(CursorError);
    expect(() => decodeCursor('orders', 'garbage!')).toThrow(CursorError);
  });

  it('accepts page sizes 1..100 only', () => {
    expect(checkPageSize(1)).toBe(1);
    expect(checkPageSize(100)).toBe(100);
    expect(() => checkPageSize(0)).toThrow(/between 1 and 100/);
    expect(() => checkPageSize(101)).toThrow(CursorError);
  });
});

describe('stock and time', () => {
  it('computes available as on hand - reserved - safety stock, never below zero', () => {
    expect(availableOf({ onHand: 50, reserved: 10, safetyStock: 5 })).toBe(35);
    expect(availableOf({ onHand: 5, reserved: 10, safetyStock: 5 })).toBe(0);
  });

  it('prints UTC ISO-8601 and refuses invalid times', () => {
    expect(toIsoUtc('2026-11-26T11:04:05+01:00')).toBe('2026-11-26T10:04:05.000Z');
    expect(() => toIsoUtc('yesterday')).toThrow(RangeError);
  });
});
