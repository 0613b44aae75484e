import type { OrderStatus } from '@crossdock/model';
import { POSTING_TARGETS, type ClaimedPostings, type PlacedOrder, type Posting, type PostingAttempt, type PostingTarget } from './ports';

/*
 * Every state change of a stored order as a pure function. Both stores apply these same
 * functions (the memory store in place, the MongoDB store as a compare-and-set of the next
 * revision), so the in-process substitute cannot drift from the real one. Each returns the next
 * order, or null when the change does not apply (nothing is written then).
 */

/** A posting that is due at once: what every target starts as when an order is captured. */
export function queuedPosting(now: Date): Posting {
  return { state: 'QUEUED', attempts: 0, nextAttemptAt: now.toISOString(), lastError: null, reference: null, postedAt: null, leaseUntil: null };
}

/** The postings of a newly captured order: every target QUEUED and due at `now`. */
export function queuedPostings(now: Date): Record<PostingTarget, Posting> {
  const entries = POSTING_TARGETS.map((target) => [target, queuedPosting(now)] as const);
  return Object.fromEntries(entries) as Record<PostingTarget, Posting>; // fromEntries loses the key type; every target is present
}

function atOrBefore(iso: string, now: Date): boolean {
  return Date.parse(iso) <= now.getTime();
}

/** QUEUED and not leased by a live lease; with `dueBy` also nextAttemptAt <= dueBy. */
export function isClaimable(order: PlacedOrder, target: PostingTarget, now: Date, dueBy: Date | null): boolean {
  const posting = order.postings[target];
  if (posting.state !== 'QUEUED') return false;
  if (posting.leaseUntil !== null && !atOrBefore(posting.leaseUntil, now)) return false;
  return dueBy === null || atOrBefore(posting.nextAttemptAt, dueBy);
}

function withPosting(order: PlacedOrder, target: PostingTarget, posting: Posting): PlacedOrder {
  return { ...order, postings: { ...order.postings, [target]: posting } };
}

/** Leases the posting until now + leaseMs, or null when it is not claimable (see isClaimable). */
export function leasePosting(order: PlacedOrder, target: PostingTarget, now: Date, leaseMs: number, dueBy: Date | null): PlacedOrder | null {
  if (!isClaimable(order, target, now, dueBy)) return null;
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  return withPosting(order, target, { ...order.postings[target], leaseUntil });
}

/** Leases every claimable posting of `targets` (due or not); null when none is claimable. */
export function leasePostings(order: PlacedOrder, targets: readonly PostingTarget[], now: Date, leaseMs: number): ClaimedPostings | null {
  let next = order;
  const leased: PostingTarget[] = [];
  for (const target of new Set(targets)) {
    const changed = leasePosting(next, target, now, leaseMs, null);
    if (!changed) continue;
    next = changed;
    leased.push(target);
  }
  return leased.length > 0 ? { order: next, targets: leased } : null;
}

/** Applies each attempt's outcome in turn (recordPosted / recordAttemptFailed); null when none applied. */
export function applyAttempts(order: PlacedOrder, attempts: readonly PostingAttempt[]): PlacedOrder | null {
  let next: PlacedOrder | null = null;
  for (const attempt of attempts) {
    const current: PlacedOrder = next ?? order;
    const changed: PlacedOrder | null =
      attempt.outcome === 'posted'
        ? recordPosted(current, attempt.target, attempt.reference, attempt.at)
        : attempt.outcome === 'failed'
          ? recordAttemptFailed(current, attempt.target, attempt.error, attempt.nextAttemptAt, attempt.giveUp)
          : deferPosting(current, attempt.target, attempt.error, attempt.nextAttemptAt);
    next = changed ?? next;
  }
  return next;
}

/** POSTED with the backend's reference; null when already POSTED (the first reference stands). */
export function recordPosted(order: PlacedOrder, target: PostingTarget, reference: string | null, now: Date): PlacedOrder | null {
  const posting = order.postings[target];
  if (posting.state === 'POSTED') return null;
  return withPosting(order, target, {
    ...posting,
    state: 'POSTED',
    attempts: posting.attempts + 1,
    reference,
    postedAt: now.toISOString(),
    lastError: null,
    leaseUntil: null,
  });
}

/** QUEUED again at `nextAttemptAt`, or FAILED when `giveUp`; null unless the posting is QUEUED. */
export function recordAttemptFailed(order: PlacedOrder, target: PostingTarget, error: string, nextAttemptAt: Date, giveUp: boolean): PlacedOrder | null {
  const posting = order.postings[target];
  if (posting.state !== 'QUEUED') return null;
  return withPosting(order, target, {
    ...posting,
    state: giveUp ? 'FAILED' : 'QUEUED',
    attempts: posting.attempts + 1,
    lastError: error,
    nextAttemptAt: nextAttemptAt.toISOString(),
    leaseUntil: null,
  });
}

/** QUEUED again at `nextAttemptAt` with no attempt counted (nothing reached the backend); null unless QUEUED. */
export function deferPosting(order: PlacedOrder, target: PostingTarget, error: string, nextAttemptAt: Date): PlacedOrder | null {
  const posting = order.postings[target];
  if (posting.state !== 'QUEUED') return null;
  return withPosting(order, target, { ...posting, lastError: error, nextAttemptAt: nextAttemptAt.toISOString(), leaseUntil: null });
}

/**
 * An operator's replay of a FAILED posting: QUEUED again, due at `now`, attempts reset so the
 * retry policy applies afresh (lastError kept for the record); null unless the posting is FAILED.
 */
export function requeueFailedPosting(order: PlacedOrder, target: PostingTarget, now: Date): PlacedOrder | null {
  const posting = order.postings[target];
  if (posting.state !== 'FAILED') return null;
  return withPosting(order, target, { ...posting, state: 'QUEUED', attempts: 0, nextAttemptAt: now.toISOString(), leaseUntil: null });
}

/** Sets the status and, when given, when and why the order was cancelled. */
export function applyStatus(order: PlacedOrder, status: OrderStatus, cancel?: { at: Date; reason: string | null }): PlacedOrder {
  if (!cancel) return { ...order, status };
  return { ...order, status, cancelledAt: cancel.at.toISOString(), cancelReason: cancel.reason };
}

/** Queue depth of one target over a set of orders (the memory store's `depth`). */
export function queueDepth(orders: Iterable<PlacedOrder>, target: PostingTarget, now: Date): { queued: number; oldestAgeMs: number | null } {
  let queued = 0;
  let oldest: number | null = null;
  for (const order of orders) {
    if (order.postings[target].state !== 'QUEUED') continue;
    queued += 1;
    const placed = Date.parse(order.placedAt);
    if (oldest === null || placed < oldest) oldest = placed;
  }
  return { queued, oldestAgeMs: oldest === null ? null : Math.max(0, now.getTime() - oldest) };
}
