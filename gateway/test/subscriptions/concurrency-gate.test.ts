import { describe, expect, it } from '@jest/globals';
import { ConcurrencyGate } from '../../src/subscriptions/concurrency-gate';

/** A task that finishes when told to, recording when it started. */
function controllable(started: number[], id: number): { task: () => Promise<number>; finish: () => void; fail: () => void } {
  let finish!: () => void;
  let fail!: () => void;
  const done = new Promise<number>((resolve, reject) => {
    finish = () => resolve(id);
    fail = () => reject(new Error(`task ${id} failed`));
  });
  return {
    task: () => {
      started.push(id);
      return done;
    },
    finish,
    fail,
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyGate', () => {
  it('runs at most its limit at once and starts the waiting ones in arrival order', async () => {
    const gate = new ConcurrencyGate(2);
    const started: number[] = [];
    const tasks = [1, 2, 3, 4, 5].map((id) => controllable(started, id));
    const results = tasks.map((t) => gate.run(t.task));
    await turn();
    expect(started).toEqual([1, 2]);
    expect(gate.load).toEqual({ running: 2, waiting: 3 });
    tasks[1]!.finish();
    await turn();
    expect(started).toEqual([1, 2, 3]);
    tasks[0]!.finish();
    tasks[2]!.finish();
    await turn();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    tasks[3]!.finish();
    tasks[4]!.finish();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot of a task that fails and passes its error on', async () => {
    const gate = new ConcurrencyGate(1);
    const started: number[] = [];
    const failing = controllable(started, 1);
    const next = controllable(started, 2);
    const first = gate.run(failing.task);
    const second = gate.run(next.task);
    await turn();
    failing.fail();
    await expect(first).rejects.toThrow('task 1 failed');
    await turn();
    expect(started).toEqual([1, 2]);
    next.finish();
    expect(await second).toBe(2);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('keeps order and the bound through many more waiters than its compaction threshold', async () => {
    const gate = new ConcurrencyGate(3);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const results = Array.from({ length: 5_000 }, (_, i) =>
      gate.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        order.push(i);
        await turn();
        running -= 1;
        return i;
      }),
    );
    expect(await Promise.all(results)).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(order).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(peak).toBe(3);
  });

  it('refuses a limit that is not a whole number of at least one', () => {
    expect(() => new ConcurrencyGate(0)).toThrow('concurrency limit must be a whole number ≥ 1, got 0');
    expect(() => new ConcurrencyGate(1.5)).toThrow('got 1.5');
  });
});
