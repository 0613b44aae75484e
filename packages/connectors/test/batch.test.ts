import { describe, expect, it } from '@jest/globals';
import { lookupAligned } from '../src/batch';

describe('lookupAligned', () => {
  it('asks once per 100 distinct keys and answers in key order', async () => {
    const asked: string[][] = [];
    const keys = [...Array.from({ length: 250 }, (_, i) => `K${i}`), 'K0', 'K1'];
    const result = await lookupAligned(
      keys,
      async (chunk) => {
        asked.push(chunk);
        return new Map(chunk.filter((k) => k !== 'K7').map((k) => [k, k.toLowerCase()]));
      },
      () => null,
    );
    expect(asked.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(result[0]).toBe('k0');
    expect(result[7]).toBeNull();
    expect(result.slice(-2)).toEqual(['k0', 'k1']);
  });

  it('makes no call for no keys', async () => {
    let calls = 0;
    expect(await lookupAligned([], async () => ((calls += 1), new Map<string, string>()), () => null)).toEqual([]);
    expect(calls).toBe(0);
  });
});
