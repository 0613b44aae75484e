import { describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { DueWakeup } from '../src/due-wakeup';

describe('DueWakeup', () => {
  it('wakes at each remembered time in order, at once for one already past, once for times closer than its granularity', async () => {
    const wakes: number[] = [];
    // From a 50 ms boundary (the wake-ups' granularity), so that +149 and +150 share one wake-up whatever the clock says.
    const started = Math.ceil(Date.now() / 50) * 50 + 50;
    await sleep(started - Date.now());
    const wakeup = new DueWakeup(() => wakes.push(Date.now() - started));
    wakeup.at(new Date(started + 400));
    wakeup.at(new Date(started + 150));
    wakeup.at(new Date(started + 149));
    wakeup.at(new Date(started - 1_000));
    await sleep(900);
    expect(wakes).toHaveLength(3);
    const [past, first, second] = wakes as [number, number, number];
    expect(past).toBeLessThan(100);
    expect(first).toBeGreaterThanOrEqual(150);
    expect(second).toBeGreaterThanOrEqual(400);
  });

  it('wakes once, on time, when its timer fires a moment before the wall clock reaches the time', () => {
    const T0 = Date.parse('2026-11-27T12:00:00.000Z');
    jest.useFakeTimers({ now: T0 });
    try {
      const wakes: number[] = [];
      const wakeup = new DueWakeup(() => wakes.push(Date.now()));
      wakeup.at(new Date(T0 + 100));
      // Date.now() 1 ms behind the clock timers run on, as Node's timers sometimes are.
      jest.setSystemTime(T0 - 1);
      jest.advanceTimersByTime(100);
      expect(wakes).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(wakes).toEqual([T0 + 100]);
      jest.advanceTimersByTime(1_000);
      expect(wakes).toEqual([T0 + 100]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('forgets what it was told once cleared', async () => {
    let wakes = 0;
    const wakeup = new DueWakeup(() => (wakes += 1));
    wakeup.at(new Date(Date.now() + 50));
    wakeup.clear();
    await sleep(150);
    expect(wakes).toBe(0);
  });
});
