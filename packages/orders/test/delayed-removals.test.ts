import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { DelayedRemovals } from '../src/delayed-removals';

describe('DelayedRemovals', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-27T12:00:00.000Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('removes each id once its delay has passed, in the order handed over, none sooner', async () => {
    const removed: string[] = [];
    const removals = new DelayedRemovals(1_000, async (id) => removed.push(id), () => Date.now());
    removals.add('a');
    await jest.advanceTimersByTimeAsync(400);
    removals.add('b');
    removals.add('c');
    await jest.advanceTimersByTimeAsync(599);
    expect(removed).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(removed).toEqual(['a']);
    expect(removals.pending).toBe(2);
    await jest.advanceTimersByTimeAsync(400);
    expect(removed).toEqual(['a', 'b', 'c']);
    expect(removals.pending).toBe(0);
  });

  it('counts a removal that failed and goes on with the others', async () => {
    const removed: string[] = [];
    const removals = new DelayedRemovals(
      100,
      async (id) => {
        if (id === 'bad') throw new Error('server down');
        removed.push(id);
      },
      () => Date.now(),
    );
    removals.add('bad');
    removals.add('good');
    await jest.advanceTimersByTimeAsync(100);
    expect(removed).toEqual(['good']);
    expect(removals.failures).toBe(1);
    expect(removals.pending).toBe(0);
  });

  it('flush removes everything at once and waits for the removals, but no longer than it is told', async () => {
    const removed: string[] = [];
    const removals = new DelayedRemovals(60_000, async (id) => removed.push(id), () => Date.now());
    removals.add('a');
    removals.add('b');
    await removals.flush(1_000);
    expect(removed).toEqual(['a', 'b']);

    let unanswered = 0;
    const stuck = new DelayedRemovals(60_000, () => new Promise(() => (unanswered += 1)), () => Date.now());
    stuck.add('c');
    let flushed = false;
    const flushing = stuck.flush(1_000).then(() => (flushed = true));
    await jest.advanceTimersByTimeAsync(999);
    expect([unanswered, flushed]).toEqual([1, false]);
    await jest.advanceTimersByTimeAsync(1);
    await flushing;
    expect(flushed).toBe(true);
    // Nothing removed after a flush: no timer left behind.
    expect(jest.getTimerCount()).toBe(0);
  });
});
