import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { RoundLoop } from '../src';

describe('RoundLoop', () => {
  it('goes again at once while a round says more is waiting, then waits the interval', async () => {
    let rounds = 0;
    const loop = new RoundLoop({ round: async () => ++rounds < 5, intervalMs: 10_000 });
    loop.start();
    await sleep(100);
    await loop.stop();
    expect(rounds).toBe(5);
  });

  it('runs a woken round at once when idle, and right after the round in flight otherwise', async () => {
    let rounds = 0;
    let release = (): void => undefined;
    const loop = new RoundLoop({
      round: async () => {
        rounds += 1;
        if (rounds === 2) await new Promise<void>((resolve) => (release = resolve));
        return false;
      },
      intervalMs: 10_000,
    });
    loop.start();
    await sleep(30);
    expect(rounds).toBe(1);
    loop.wake();
    await sleep(30);
    expect(rounds).toBe(2);
    loop.wake(); // while round 2 is in flight
    release();
    await sleep(30);
    expect(rounds).toBe(3);
    await loop.stop();
  });

  it('waits firstDelayMs before the first round, and stop() waits for the round in flight', async () => {
    let finished = false;
    const loop = new RoundLoop({
      round: async () => {
        await sleep(50);
        finished = true;
        return false;
      },
      intervalMs: 10_000,
      firstDelayMs: 20,
    });
    loop.start();
    await sleep(5);
    await loop.stop();
    expect(finished).toBe(false); // stopped before the first round began
    const again = new RoundLoop({ round: async () => ((finished = await sleep(50).then(() => true)), false), intervalMs: 10_000 });
    again.start();
    await sleep(10);
    await again.stop();
    expect(finished).toBe(true);
  });
});
