import type { ExceptionKind, ExceptionReport, ExceptionStore, ReplayHandler } from '@crossdock/exceptions';
import type { OrderStore, PlacedOrder, PostingTarget } from '@crossdock/orders';
import type { CaptureLog } from './capture-log';

/** The exception kind of a posting the outbox gave up on, per backend. */
export const POSTING_EXCEPTION_KINDS = { erp: 'erp-posting', wms: 'wms-posting', commerce: 'commerce-posting' } as const satisfies Record<PostingTarget, ExceptionKind>;

/** What PostingExceptions reaches. */
export interface PostingExceptionsDependencies {
  exceptions: ExceptionStore;
  orders: OrderStore;
  log: CaptureLog;
  clock?: () => Date;
}

/**
 * Failed postings as exceptions: the outbox's onFailed records one (raw payload: the order as
 * stored, as JSON), and the replay handlers requeue the FAILED posting so the outbox posts it.
 */
export class PostingExceptions {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly clock: () => Date;

  constructor(private readonly deps: PostingExceptionsDependencies) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /**
   * The outbox's onFailed: records the exception in the background (onFailed cannot wait) and
   * logs it either way, so a failed posting is never lost silently, even with the store down.
   */
  readonly onPostingFailed = (order: PlacedOrder, target: PostingTarget, error: unknown): void => {
    this.deps.log({ level: 'error', message: `posting to ${target} FAILED; recorded as an exception for replay`, orderId: order.id, target, error });
    const recording = this.record(order, target, error).catch((recordError: unknown) =>
      this.deps.log({ level: 'error', message: `posting to ${target} FAILED and could NOT be recorded as an exception; replay it by hand`, orderId: order.id, target, error: recordError }),
    );
    this.inFlight.add(recording);
    void recording.finally(() => this.inFlight.delete(recording));
  };

  /** Waits for recordings under way (before the stores close). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Replay handlers for the three posting kinds. */
  replayHandlers(): Record<(typeof POSTING_EXCEPTION_KINDS)[PostingTarget], ReplayHandler> {
    return { 'erp-posting': this.requeue('erp'), 'wms-posting': this.requeue('wms'), 'commerce-posting': this.requeue('commerce') };
  }

  private async record(failed: PlacedOrder, target: PostingTarget, error: unknown): Promise<void> {
    // The order as stored now (FAILED, with its last error) is the better record; the copy the
    // outbox held will do if the store cannot be read.
    const stored = await this.deps.orders.get([failed.id]).then(([order]) => order ?? failed, () => failed);
    await this.deps.exceptions.record(postingReport(stored, target, error, failed.postings[target].attempts + 1), this.clock());
  }

  /** Idempotent: only a FAILED posting is requeued, so replaying twice posts once. */
  private requeue(target: PostingTarget): ReplayHandler {
    return async (exception) => {
      const outcome = await this.deps.orders.requeueFailed(exception.subject, target, this.clock());
      if (outcome === 'not-found') return { replayed: false, reason: `order ${exception.subject} is not in the order store; discard this exception` };
      if (outcome === 'requeued') return { replayed: true, note: `the ${target} posting of ${exception.subject} is queued again; the outbox posts it` };
      const [order] = await this.deps.orders.get([exception.subject]);
      const posting = order?.postings[target];
      return { replayed: true, note: `the ${target} posting of ${exception.subject} is ${posting?.state ?? 'no longer FAILED'} already; nothing to requeue` };
    };
  }
}

/** The exception report for a posting the outbox gave up on. */
export function postingReport(order: PlacedOrder, target: PostingTarget, error: unknown, attempts: number): ExceptionReport {
  const warehouses = [...new Set(order.allocations.map((allocation) => allocation.warehouseId))];
  return {
    kind: POSTING_EXCEPTION_KINDS[target],
    subject: order.id,
    channel: order.channel,
    // One warehouse when the WMS posting concerns exactly one; a split order has no single one.
    warehouseId: target === 'wms' && warehouses.length === 1 ? (warehouses[0] ?? null) : null,
    reason: messageOf(error),
    rawPayload: JSON.stringify(order),
    attempts: Math.max(1, attempts),
  };
}

function messageOf(error: unknown): string {
  // By shape, not `instanceof Error`: errors from Node itself come from another realm under Jest.
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
