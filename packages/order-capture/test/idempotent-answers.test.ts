import { describe, expect, it } from '@jest/globals';
import { MemoryIdempotencyStore } from '@crossdock/reservations';
import { OrderCaptureError } from '../src';
import { decodeAnswer, IdempotentAnswers, type CaptureAnswer } from '../src/idempotent-answers';

const TIMINGS = { ttlMs: 60_000, leaseMs: 10_000, waitMs: 500, pollMs: 5 };
const ACCEPTED: CaptureAnswer = { kind: 'accepted', orderId: 'ORD-H1', customerId: 'CUST-1' };

describe('IdempotentAnswers', () => {
  it('computes once and replays the stored answer', async () => {
    const answers = new IdempotentAnswers(new MemoryIdempotencyStore(), TIMINGS);
    let computed = 0;
    const compute = async () => ((computed += 1), ACCEPTED);
    expect(await answers.answer('k', compute)).toEqual(ACCEPTED);
    expect(await answers.answer('k', compute)).toEqual(ACCEPTED);
    expect(computed).toBe(1);
  });

  it('makes a duplicate wait for the first answer instead of computing its own', async () => {
    const answers = new IdempotentAnswers(new MemoryIdempotencyStore(), TIMINGS);
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let computed = 0;
    const compute = async () => {
      computed += 1;
      await slow;
      return ACCEPTED;
    };
    const first = answers.answer('k', compute);
    const second = answers.answer('k', compute);
    setTimeout(release, 50);
    expect(await Promise.all([first, second])).toEqual([ACCEPTED, ACCEPTED]);
    expect(computed).toBe(1);
  });

  it('gives up waiting with TEMPORARILY_UNAVAILABLE, asking `recover` first', async () => {
    const answers = new IdempotentAnswers(new MemoryIdempotencyStore(), TIMINGS);
    const running = answers.answer('k', () => new Promise<CaptureAnswer>((resolve) => setTimeout(() => resolve(ACCEPTED), 1_000)));
    let recovered = 0;
    const waiting = answers.answer('k', async () => ACCEPTED, async () => ((recovered += 1), null));
    await expect(waiting).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
    expect(recovered).toBe(2);
    await running;
  });

  it('answers from `recover` when a crashed request holds the key', async () => {
    const store = new MemoryIdempotencyStore();
    await store.begin('k', 60_000); // claimed by a request that died
    const answers = new IdempotentAnswers(store, TIMINGS);
    expect(await answers.answer('k', async () => ({ ...ACCEPTED, orderId: 'other' }), async () => ACCEPTED)).toEqual(ACCEPTED);
  });

  it('abandons the key when computing fails, so a retry computes afresh', async () => {
    const answers = new IdempotentAnswers(new MemoryIdempotencyStore(), TIMINGS);
    const outage = new OrderCaptureError('BACKEND_UNAVAILABLE', 'down', 'erp');
    await expect(answers.answer('k', async () => Promise.reject(outage))).rejects.toBe(outage);
    expect(await answers.answer('k', async () => ACCEPTED)).toEqual(ACCEPTED);
  });

  it('refuses a stored answer it cannot read', () => {
    expect(() => decodeAnswer('{"kind":"rejected","customerId":"C","errors":[{"code":"NOPE","message":"x","field":null}]}')).toThrow(/unreadable/);
    expect(decodeAnswer(JSON.stringify({ kind: 'rejected', customerId: 'C', errors: [{ code: 'UNKNOWN_SKU', message: 'x', field: ['lines', '0', 'sku'] }] }))).toEqual({
      kind: 'rejected',
      customerId: 'C',
      errors: [{ code: 'UNKNOWN_SKU', message: 'x', field: ['lines', '0', 'sku'] }],
    });
  });
});
