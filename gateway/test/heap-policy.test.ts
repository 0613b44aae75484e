import { describe, expect, it } from '@jest/globals';
import { DEFAULT_HEAP_GROWING_PERCENT, readHeapGrowingPercent } from '../src/heap-policy';

describe('GATEWAY_HEAP_GROWING_PERCENT', () => {
  it('defaults to doubling the heap between full GCs, and takes 0 for V8 deciding', () => {
    expect(readHeapGrowingPercent({})).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(100);
    expect(readHeapGrowingPercent({ GATEWAY_HEAP_GROWING_PERCENT: '0' })).toBe(0);
    expect(readHeapGrowingPercent({ GATEWAY_HEAP_GROWING_PERCENT: '50' })).toBe(50);
  });

  it('refuses a value that is not a whole number of percent, naming the variable', () => {
    for (const bad of ['-1', '1.5', 'lots']) {
      expect(() => readHeapGrowingPercent({ GATEWAY_HEAP_GROWING_PERCENT: bad })).toThrow(/GATEWAY_HEAP_GROWING_PERCENT/);
    }
  });
});
