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

  it('stop leaves what still waits for its delay, waits for removals under way (no longer than it is told), and takes nothing more', async () => {
    const removed: string[] = [];
    let answer: (() => void) | null = null;
    const removals = new DelayedRemovals(
      1_000,
      (id) =>
        new Promise<void>((resolve) => {
          answer = () => {
            removed.push(id);
            resolve();
          };
        }),
      () => Date.now(),
    );
    removals.add('due');
    await jest.advanceTimersByTimeAsync(500);
    removals.add('held');
    await jest.advanceTimersByTimeAsync(500); // 'due' is being removed, 'held' waits 500 ms more
    let stopped = false;
    const stopping = removals.stop(2_000).then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(100);
    expect(stopped).toBe(false);
    answer!();
    await stopping;
    removals.add('late');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(removed).toEqual(['due']);
    expect(jest.getTimerCount()).toBe(0);

    const stuck = new DelayedRemovals(0, () => new Promise(() => undefined), () => Date.now());
    stuck.add('x');
    await jest.advanceTimersByTimeAsync(0);
    let gaveUp = false;
    const giving = stuck.stop(1_000).then(() => (gaveUp = true));
    await jest.advanceTimersByTimeAsync(999);
    expect(gaveUp).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await giving;
    expect(gaveUp).toBe(true);
  });
});
