import { setTimeout as sleep } from 'node:timers/promises';
import type { IdempotencyStore } from '@crossdock/reservations';
import { OrderCaptureError, USER_ERROR_CODES, type UserError } from './capture-types';

/** The first answer to a key, as stored: the order's id (re-read on replay) or the errors. */
export type CaptureAnswer =
  | { kind: 'accepted'; orderId: string; customerId: string }
  | { kind: 'rejected'; customerId: string; errors: UserError[] };

/** Timings of IdempotentAnswers (from the capture policy). */
export interface IdempotencyTimings {
  ttlMs: number;
  leaseMs: number;
  /** How long a duplicate waits for the first request to finish. */
  waitMs: number;
  pollMs: number;
}

/**
 * One answer per idempotency key: the first request computes it, every repeat within the TTL
 * gets it back, and a duplicate arriving while the first still runs (another gateway replica, a
 * channel's impatient retry) waits for it instead of placing a second order. A request that fails
 * inside (a backend down, a bug) abandons the key, so a retry may compute it afresh.
 */
export class IdempotentAnswers {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly timings: IdempotencyTimings,
    private readonly onStoreError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * The answer for `key`: stored, or computed now by `compute`. `recover` finds an answer a
   * request left behind without storing it (it stored its order, then crashed); it is asked when
   * another request seems to hold the key, first at once and again before giving up, so a
   * crashed claim does not make every retry wait out its lease.
   */
  async answer(key: string, compute: () => Promise<CaptureAnswer>, recover: () => Promise<CaptureAnswer | null> = async () => null): Promise<CaptureAnswer> {
    const stored = await this.claim(key, recover);
    if (stored !== null) return stored;
    let answer: CaptureAnswer;
    try {
      answer = await compute();
    } catch (error) {
      await this.store.abandon(key).catch(this.onStoreError);
      throw error;
    }
    // Not fatal: an accepted order is also found by its key in the order store, which is what a
    // retry falls back on when this answer was never stored (and the lease has run out).
    await this.store.finish(key, JSON.stringify(answer), this.timings.ttlMs).catch(this.onStoreError);
    return answer;
  }

  /** The stored answer, or null once this request owns the key. */
  private async claim(key: string, recover: () => Promise<CaptureAnswer | null>): Promise<CaptureAnswer | null> {
    const deadline = Date.now() + this.timings.waitMs;
    for (let polls = 0; ; polls++) {
      let begun;
      try {
        begun = await this.store.begin(key, this.timings.leaseMs);
      } catch (error) {
        // Without the key nothing stops a retry from placing the order twice: refuse, change nothing.
        throw new OrderCaptureError(
          'TEMPORARILY_UNAVAILABLE',
          "The hub's idempotency and reservation store (Redis) is unavailable; the order was not placed and nothing was reserved. Retry with the same key shortly.",
          'idempotency-store',
          { cause: error },
        );
      }
      if (begun.state === 'started') return null;
      if (begun.state === 'done') return decodeAnswer(begun.result);
      const lastChance = Date.now() >= deadline;
      if (polls === 0 || lastChance) {
        const recovered = await recover();
        if (recovered) return recovered;
      }
      if (lastChance) {
        throw new OrderCaptureError(
          'TEMPORARILY_UNAVAILABLE',
          `An order with this idempotency key is still being placed; its answer was not ready within ${this.timings.waitMs} ms. Retry with the same key.`,
        );
      }
      await sleep(this.timings.pollMs);
    }
  }
}

const CODES: ReadonlySet<string> = new Set(USER_ERROR_CODES);

/** Reads a stored answer back, checking its shape: the store is shared and outlives deploys. */
export function decodeAnswer(raw: string): CaptureAnswer {
  const value: unknown = JSON.parse(raw);
  if (isRecord(value) && typeof value.customerId === 'string') {
    if (value.kind === 'accepted' && typeof value.orderId === 'string') return { kind: 'accepted', orderId: value.orderId, customerId: value.customerId };
    if (value.kind === 'rejected' && Array.isArray(value.errors) && value.errors.every(isUserError)) {
      return { kind: 'rejected', customerId: value.customerId, errors: value.errors };
    }
  }
  throw new Error(`unreadable stored placeOrder answer: ${raw.slice(0, 200)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isUserError(value: unknown): value is UserError {
  return (
    isRecord(value) &&
    typeof value.code === 'string' &&
    CODES.has(value.code) &&
    typeof value.message === 'string' &&
    (value.field === null || (Array.isArray(value.field) && value.field.every((part) => typeof part === 'string')))
  );
}
