import type { OrderStatus } from '@crossdock/model';
import { applyAttempts, applyStatus, isClaimable, leasePosting, leasePostings, queueDepth, requeueFailedPosting } from './order-transitions';
import { POSTING_TARGETS, type ClaimedPostings, type OrderStore, type PlacedOrder, type PostingAttempt, type PostingTarget, type RequeueOutcome } from './ports';

/**
 * The in-process order store for all-in-one mode. Same semantics as MongoOrderStore (the shared
 * contract suite runs against both); state lives as long as the process. Orders are deep-copied
 * in and out, as a database would, so a caller mutating what it passed or got back cannot change
 * what is stored.
 */
export class MemoryOrderStore implements OrderStore {
  private readonly orders = new Map<string, PlacedOrder>();
  private readonly idByIdempotencyKey = new Map<string, string>();

  async insert(order: PlacedOrder): Promise<'inserted' | 'exists'> {
    if (this.orders.has(order.id) || this.idByIdempotencyKey.has(order.idempotencyKey)) return 'exists';
    this.orders.set(order.id, structuredClone(order));
    this.idByIdempotencyKey.set(order.idempotencyKey, order.id);
    return 'inserted';
  }

  async get(ids: readonly string[]): Promise<(PlacedOrder | null)[]> {
    return ids.map((id) => copyOrNull(this.orders.get(id)));
  }

  async getByIdempotencyKey(idempotencyKey: string): Promise<PlacedOrder | null> {
    const id = this.idByIdempotencyKey.get(idempotencyKey);
    return id === undefined ? null : copyOrNull(this.orders.get(id));
  }

  async claimDue(target: PostingTarget, now: Date, leaseMs: number, limit: number, dueBy: Date = now): Promise<PlacedOrder[]> {
    // Oldest due first, like the MongoDB store's index order, so a backlog drains fairly.
    const due = [...this.orders.values()]
      .filter((order) => isClaimable(order, target, now, dueBy))
      .sort((a, b) => Date.parse(a.postings[target].nextAttemptAt) - Date.parse(b.postings[target].nextAttemptAt))
      .slice(0, Math.max(0, limit));
    return due.map((order) => this.replace(order.id, leasePosting(order, target, now, leaseMs, dueBy)));
  }

  async claim(orderId: string, targets: readonly PostingTarget[], now: Date, leaseMs: number): Promise<ClaimedPostings | null> {
    const current = this.orders.get(orderId);
    const claimed = current ? leasePostings(current, targets, now, leaseMs) : null;
    return claimed ? { order: this.replace(orderId, claimed.order), targets: claimed.targets } : null;
  }

  async recordAttempts(orderId: string, attempts: readonly PostingAttempt[]): Promise<PlacedOrder | null> {
    return this.change(orderId, (order) => applyAttempts(order, attempts));
  }

  async requeueFailed(orderId: string, target: PostingTarget, now: Date): Promise<RequeueOutcome> {
    if (!this.orders.has(orderId)) return 'not-found';
    return this.change(orderId, (order) => requeueFailedPosting(order, target, now)) ? 'requeued' : 'not-failed';
  }

  async updateStatus(orderId: string, status: OrderStatus, cancel?: { at: Date; reason: string | null }): Promise<PlacedOrder | null> {
    return this.change(orderId, (order) => applyStatus(order, status, cancel));
  }

  async depth(now: Date): Promise<Record<PostingTarget, { queued: number; oldestAgeMs: number | null }>> {
    const [erp, wms, commerce] = POSTING_TARGETS.map((target) => queueDepth(this.orders.values(), target, now));
    // POSTING_TARGETS has exactly these three entries; the destructuring only cannot prove it.
    if (!erp || !wms || !commerce) throw new Error('POSTING_TARGETS changed; update depth()');
    return { erp, wms, commerce };
  }

  async close(): Promise<void> {
    // Nothing to release; the orders stay readable, as a closed client's database would keep them.
  }

  /** Applies a transition; returns a copy of the changed order, or null when it did not apply. */
  private change(orderId: string, transition: (order: PlacedOrder) => PlacedOrder | null): PlacedOrder | null {
    const current = this.orders.get(orderId);
    if (!current) return null;
    const next = transition(current);
    return next ? this.replace(orderId, next) : null;
  }

  private replace(orderId: string, next: PlacedOrder | null): PlacedOrder {
    if (!next) throw new Error(`order ${orderId}: transition did not apply`);
    this.orders.set(orderId, structuredClone(next));
    return structuredClone(next);
  }
}

function copyOrNull(order: PlacedOrder | undefined): PlacedOrder | null {
  return order ? structuredClone(order) : null;
}
