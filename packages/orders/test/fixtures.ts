import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { queuedPostings, type OrderStore, type PlacedOrder, type Poster, type PostingTarget } from '../src';

/** A fixed start time: tests move time by passing `now`, never by waiting. */
export const T0 = new Date('2025-03-02T08:00:00.000Z');

export function at(offsetMs: number): Date {
  return new Date(T0.getTime() + offsetMs);
}

/** A store under test plus how to open a second handle on the same data, as another replica would. */
export interface OpenedStore {
  store: OrderStore;
  replica(): Promise<OrderStore>;
}

/** Opens a fresh, empty store for one test. */
export type OpenStore = () => Promise<OpenedStore>;

/** A captured order, QUEUED for every backend and due at `placedAt`. */
export function placedOrder(overrides: Partial<PlacedOrder> = {}): PlacedOrder {
  const id = overrides.id ?? `ord-${randomUUID()}`;
  const placedAt = overrides.placedAt ?? T0.toISOString();
  return {
    id,
    idempotencyKey: `web:${id}`,
    channel: 'web',
    externalRef: null,
    customerId: 'C-1001',
    placedAt,
    status: 'ACCEPTED',
    lines: [{ lineNumber: 1, sku: 'SKU-1', quantity: 2, unitPrice: { amount: '12.50', currency: 'USD' } }],
    total: { amount: '25.00', currency: 'USD' },
    allocations: [{ warehouseId: 'WH-1', sku: 'SKU-1', quantity: 2 }],
    postings: queuedPostings(new Date(placedAt)),
    cancelledAt: null,
    cancelReason: null,
    ...overrides,
  };
}

/** Inserts `count` new orders and returns their ids. */
export async function insertOrders(store: OrderStore, count: number, overrides: Partial<PlacedOrder> = {}): Promise<string[]> {
  const orders = Array.from({ length: count }, () => placedOrder(overrides));
  for (const order of orders) await store.insert(order);
  return orders.map((order) => order.id);
}

/** Records one POSTED outcome, as a worker does after the backend took the posting. */
export async function markPosted(store: OrderStore, orderId: string, target: PostingTarget, reference: string | null, now: Date): Promise<void> {
  await store.recordAttempts(orderId, [{ target, outcome: 'posted', reference, at: now }]);
}

/** Records one failed attempt: QUEUED again at `nextAttemptAt`, or FAILED when `giveUp`. */
export async function markAttemptFailed(store: OrderStore, orderId: string, target: PostingTarget, error: string, nextAttemptAt: Date, giveUp: boolean): Promise<void> {
  await store.recordAttempts(orderId, [{ target, outcome: 'failed', error, nextAttemptAt, giveUp }]);
}

/** The error a backend answers when it will keep refusing (think HTTP 422). */
export class RefusedError extends Error {
  override name = 'RefusedError';
}

/** A stand-in backend: records every call and fails while `failing(orderId, call)` says so. */
export interface FakeBackend {
  poster: Poster;
  /** Order ids in call order (one entry per call). */
  calls: string[];
  callsFor(orderId: string): number;
  /** Throw on calls for which this returns an error; null means accept. */
  failWith: (orderId: string, call: number) => Error | null;
}

export function fakeBackend(prefix: string, options: { delayMs?: number } = {}): FakeBackend {
  const backend: FakeBackend = {
    calls: [],
    callsFor: (orderId) => backend.calls.filter((id) => id === orderId).length,
    failWith: () => null,
    poster: async (order) => {
      backend.calls.push(order.id);
      const call = backend.callsFor(order.id);
      // Yields like a network call would, so concurrent workers really interleave.
      await sleep(options.delayMs ?? 1);
      const error = backend.failWith(order.id, call);
      if (error) throw error;
      return `${prefix}-${order.id}`;
    },
  };
  return backend;
}
