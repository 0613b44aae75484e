import type { PurchaseOrderRecord } from './ports';

/**
 * The unique key that claims one attempt of an item for one worker: the item as scheduled (its
 * attempts and due time, which every retry and every operator's requeue change) in a claim
 * window, so an attempt whose worker died is claimable again in the next window. Two workers can
 * then both hold it only across a window boundary, which at-least-once delivery tolerates
 * (partners dedupe documents by ISA13, as X12 intends; webhooks go through placeOrder's key).
 */
export function claimKey(kind: string, id: string, schedule: { attempts: number; nextAttemptAt: string }, now: Date, claimMs: number): string {
  return `${kind}:${id}#${schedule.attempts}/${schedule.nextAttemptAt}@${Math.floor(now.getTime() / claimMs)}`;
}

/**
 * The attempt a resent PO may be processed as, or null when it is a duplicate: a PO refused or
 * held may be sent again once the partner fixed it (the next attempt); one left pending by a
 * crash longer ago than `staleMs` is taken over (the same attempt: placeOrder's idempotency key
 * makes redoing it safe); an accepted one, or one in progress, never again.
 */
export function mayReclaim(existing: PurchaseOrderRecord, now: Date, staleMs: number): number | null {
  if (existing.outcome === 'rejected' || existing.outcome === 'held') return existing.attempt + 1;
  if (existing.outcome === 'pending' && now.getTime() - Date.parse(existing.updatedAt) > staleMs) return existing.attempt;
  return null;
}
