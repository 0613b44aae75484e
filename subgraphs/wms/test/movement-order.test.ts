import { describe, expect, it } from '@jest/globals';
import { NewestMovements } from '../src/movement-order';

describe('NewestMovements', () => {
  it('passes a position only when its movement is newer than the last one passed for it', () => {
    const newest = new NewestMovements();
    expect(newest.accept('A', 'W1', 5)).toBe(true);
    expect(newest.accept('A', 'W1', 4)).toBe(false);
    expect(newest.accept('A', 'W1', 5)).toBe(false);
    // Another warehouse or SKU is another position.
    expect(newest.accept('A', 'W2', 1)).toBe(true);
    expect(newest.accept('B', 'W1', 3)).toBe(true);
    expect(newest.accept('A', 'W1', 6)).toBe(true);
    expect(newest.accept('A', 'W1', 5)).toBe(false);
  });

  it('passes notices without a movement number, and they do not count as the last movement', () => {
    const newest = new NewestMovements();
    expect(newest.accept('A', 'W1', null)).toBe(true);
    expect(newest.accept('A', 'W1', undefined)).toBe(true);
    expect(newest.accept('A', 'W1', 2)).toBe(true);
    expect(newest.accept('A', 'W1', null)).toBe(true);
    expect(newest.accept('A', 'W1', 1)).toBe(false);
  });

  it('keeps at most its bound of positions, forgetting the one that moved longest ago', () => {
    const newest = new NewestMovements(2);
    newest.accept('A', 'W1', 10);
    newest.accept('B', 'W1', 10);
    newest.accept('A', 'W1', 11); // A moved again: B is now the longest unmoved
    newest.accept('C', 'W1', 10); // over the bound: B is forgotten
    expect(newest.accept('A', 'W1', 9)).toBe(false);
    expect(newest.accept('B', 'W1', 9)).toBe(true);
  });
});
