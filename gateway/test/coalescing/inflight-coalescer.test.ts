import { describe, expect, it } from '@jest/globals';
import { InflightCoalescer } from '../../src/coalescing';

/** A promise settled from outside, to hold work in flight while others arrive. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InflightCoalescer', () => {
  it('runs identical concurrent work once and hands every caller the same value', async () => {
    const coalescer = new InflightCoalescer<{ body: string }>();
    const gate = deferred<{ body: string }>();
    let runs = 0;
    const work = () => {
      runs++;
      return gate.promise;
    };
    const callers = [coalescer.run('a', work), coalescer.run('a', work), coalescer.run('a', work)];
    expect(coalescer.size).toBe(1);
    gate.resolve({ body: 'answer' });
    const answers = await Promise.all(callers);
    expect(runs).toBe(1);
    expect(answers.map((a) => a.body)).toEqual(['answer', 'answer', 'answer']);
    expect(answers[1]).toBe(answers[0]); // the very same serialized answer, not a copy
    expect(coalescer.counts).toEqual({ leaders: 1, followers: 2 });
  });

  it('keeps different keys apart', async () => {
    const coalescer = new InflightCoalescer<string>();
    const [a, b] = await Promise.all([coalescer.run('a', async () => 'for a'), coalescer.run('b', async () => 'for b')]);
    expect([a, b]).toEqual(['for a', 'for b']);
    expect(coalescer.counts).toEqual({ leaders: 2, followers: 0 });
  });

  it('hands the leader\'s rejection to every follower, then forgets the key', async () => {
    const coalescer = new InflightCoalescer<string>();
    const gate = deferred<string>();
    const first = coalescer.run('k', () => gate.promise);
    const second = coalescer.run('k', async () => 'never runs');
    gate.reject(new Error('subgraph fell over'));
    await expect(first).rejects.toThrow('subgraph fell over');
    await expect(second).rejects.toThrow('subgraph fell over');
    expect(coalescer.size).toBe(0);
    await expect(coalescer.run('k', async () => 'fresh')).resolves.toBe('fresh');
  });

  it('shares a synchronous throw as a rejection', async () => {
    const coalescer = new InflightCoalescer<string>();
    const thrown = coalescer.run('k', () => {
      throw new Error('bad before any await');
    });
    await expect(thrown).rejects.toThrow('bad before any await');
    expect(coalescer.size).toBe(0);
  });

  it('caches nothing: a caller after the work settled runs it again', async () => {
    const coalescer = new InflightCoalescer<number>();
    let runs = 0;
    await coalescer.run('k', async () => ++runs);
    await coalescer.run('k', async () => ++runs);
    expect(runs).toBe(2);
    expect(coalescer.counts).toEqual({ leaders: 2, followers: 0 });
  });
});
