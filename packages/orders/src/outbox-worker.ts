import { decideRetry, validateOutboxPolicy } from './backoff';
import { RoundLoop } from './round-loop';
import { queuedPosting } from './order-transitions';
import { POSTING_TARGETS, type OrderStore, type OutboxPolicy, type PlacedOrder, type Posting, type PostingAttempt, type PostingState, type PostingTarget } from './ports';

/**
 * Posts an order to one backend and returns the backend's reference for it (ERP sales order
 * number, ...), or null when it has none. It must be idempotent by order id (the backend
 * dedupes), and should time out well within the lease: a posting still in flight when its lease
 * expires can be claimed and posted again by another worker.
 */
export type Poster = (order: PlacedOrder) => Promise<string | null>;

/** Takes a posting back from its backend; `order` is the order as stored, CANCELLED. Idempotent, like a poster. */
export type Withdrawal = (order: PlacedOrder) => Promise<void>;

/** Where a posting stands after an attempt (or, when none was made, as stored). */
export interface PostingOutcome {
  state: PostingState;
  reference: string | null;
  error: string | null;
}

/** What one round did. */
export interface OutboxRound {
  claimed: number;
  posted: number;
  /** Failed and QUEUED again with a backoff. */
  retrying: number;
  /** Failed for good (FAILED). */
  failed: number;
  /** Attempted, but the outcome could not be recorded (store down); retried after the lease. */
  unrecorded: number;
  /** Some target claimed a whole batch, so more may be due: the loop goes again at once. */
  full: boolean;
}

/** A line for the service's logger. */
export interface OutboxLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  orderId?: string;
  target?: PostingTarget;
  error?: unknown;
}

/** Options of OutboxWorker. */
export interface OutboxWorkerOptions {
  store: OrderStore;
  /** One poster per backend; targets without one are left QUEUED for a worker that has it. */
  posters: Partial<Record<PostingTarget, Poster>>;
  /**
   * Undoes a posting in its backend when the order turns out CANCELLED as the attempt's outcome
   * is recorded: cancelOrder marked it while the post was in flight, so its own cancel may have
   * reached the backend before the post did. (An order already CANCELLED when claimed is for the
   * poster to skip.) A withdrawal that fails is logged; a repeated cancelOrder re-drives it.
   */
  withdrawals?: Partial<Record<PostingTarget, Withdrawal>>;
  policy: OutboxPolicy;
  /** Errors the backend will keep answering the same way (a 4xx validation error): no point retrying long. */
  isPermanent?: (error: unknown) => boolean;
  /**
   * Failures that say nothing reached the backend because it is known to be down (its circuit is
   * open): QUEUED again after the policy's base delay, and no attempt counted, so an outage of any
   * length never spends the retry budget. Pair with `paused` and catchUp().
   */
  isDeferred?: (error: unknown) => boolean;
  /**
   * A target whose backend is known down (its circuit open) is not claimed at all while this says
   * so: no attempt, no store write per posting per round, until the backend is back.
   */
  paused?: (target: PostingTarget) => boolean;
  /** Attempts allowed when isPermanent says so (default 1: FAILED at once, for an operator to fix and replay). */
  maxPermanentAttempts?: number;
  /** Pause between rounds of the start() loop when the last round found less than a full batch. */
  intervalMs: number;
  /** How long a claimed posting stays reserved for this worker; must exceed a poster's timeout. */
  leaseMs: number;
  /** Postings claimed per target per round. */
  batchSize: number;
  /** Postings in flight per target at once (default 4), so a backlog does not flood a backend that just came back. */
  concurrency?: number;
  onPosted?: (order: PlacedOrder, target: PostingTarget, reference: string | null) => void;
  /** Called once when a posting becomes FAILED (record the exception for replay here). */
  onFailed?: (order: PlacedOrder, target: PostingTarget, error: unknown) => void;
  log?: (entry: OutboxLogEntry) => void;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
}

/**
 * Delivers the postings of stored orders to their backends: claims due postings under a lease,
 * posts them, records the outcome, and retries failures with exponential backoff until the
 * policy gives up. Several workers (replicas) may run against one store; the lease keeps each
 * posting with one of them at a time.
 */
export class OutboxWorker {
  private readonly concurrency: number;
  private readonly loop: RoundLoop;
  /** Targets whose backlog is taken regardless of backoff (their backend just came back), until drained. */
  private readonly catchingUp = new Set<PostingTarget>();

  constructor(private readonly options: OutboxWorkerOptions) {
    validateOutboxPolicy(options.policy);
    this.concurrency = options.concurrency ?? 4;
    for (const [name, value] of Object.entries({ intervalMs: options.intervalMs, leaseMs: options.leaseMs, batchSize: options.batchSize, concurrency: this.concurrency })) {
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`outbox worker: ${name} must be > 0, got ${value}`);
    }
    this.loop = new RoundLoop({ round: () => this.loopRound(), intervalMs: options.intervalMs });
  }

  /**
   * One round: claims the due postings of every target that has a poster and posts them.
   * @param now the round's time for claims and records (default: the wall clock at each step)
   */
  async runOnce(now?: Date): Promise<OutboxRound> {
    const clock = now ? () => now : () => new Date();
    const round: OutboxRound = { claimed: 0, posted: 0, retrying: 0, failed: 0, unrecorded: 0, full: false };
    const targets = await Promise.allSettled(
      POSTING_TARGETS.map(async (target) => {
        if (!this.options.posters[target] || this.isPaused(target)) return;
        const catchingUp = this.catchingUp.has(target);
        const claimedAt = clock();
        // Catching up: everything QUEUED, however far off its backoff had put the next attempt.
        const dueBy = catchingUp ? new Date(claimedAt.getTime() + this.options.policy.maxDelayMs) : claimedAt;
        const due = await this.options.store.claimDue(target, claimedAt, this.options.leaseMs, this.options.batchSize, dueBy);
        round.claimed += due.length;
        round.full ||= due.length >= this.options.batchSize;
        if (catchingUp && due.length < this.options.batchSize) this.catchingUp.delete(target);
        await forEachBounded(due, this.concurrency, async (order) => {
          try {
            const outcome = await this.attempt(order, target, clock);
            if (outcome.state === 'POSTED') round.posted += 1;
            else if (outcome.state === 'FAILED') round.failed += 1;
            else round.retrying += 1;
          } catch (error) {
            round.unrecorded += 1;
            this.log({ level: 'error', message: 'could not record a posting outcome; it is retried once its lease expires', orderId: order.id, target, error });
          }
        });
      }),
    );
    const rejected = targets.find((result) => result.status === 'rejected');
    if (rejected) throw rejected.reason;
    return round;
  }

  /**
   * One attempt now per target of a stored order whose postings are not leased to this worker
   * (an order inserted with newPostings() goes through postInserted, which needs no claim), in
   * parallel, recorded exactly as runOnce would (a failure leaves it QUEUED with a backoff).
   * The postings are claimed under the worker's lease first, so a worker running at the same time
   * never posts one too; a posting not claimable (leased, already POSTED, no poster) is reported
   * as stored. Two changes of the stored order in all (the claim, then every outcome at once),
   * whatever the number of targets. Rejects only when the store fails.
   */
  async postNow(order: PlacedOrder, targets: readonly PostingTarget[], now?: Date): Promise<Partial<Record<PostingTarget, PostingOutcome>>> {
    const clock = now ? () => now : () => new Date();
    const wanted = [...new Set(targets)];
    const postable = wanted.filter((target) => this.canPost(target));
    const claimed = postable.length > 0 ? await this.options.store.claim(order.id, postable, clock(), this.options.leaseMs) : null;
    const attempted = claimed ? (await this.attemptAll(claimed.order, claimed.targets, clock)).outcomes : {};
    const stored = claimed?.order ?? (await this.stored(order.id));
    const outcomes: Partial<Record<PostingTarget, PostingOutcome>> = {};
    for (const target of wanted) {
      const posting = stored.postings[target];
      outcomes[target] = attempted[target] ?? { state: posting.state, reference: posting.reference, error: this.options.posters[target] ? posting.lastError : `no poster for ${target}` };
    }
    return outcomes;
  }

  /**
   * Postings for a new order that this worker attempts at once after the insert (postInserted):
   * each target it can post now is QUEUED and already leased to it until now + leaseMs (default
   * the worker's lease), so no other worker takes it meanwhile and no claim is needed; a target
   * without a poster or paused is QUEUED and due at once, for whichever worker can take it.
   */
  newPostings(now: Date = new Date(), leaseMs: number = this.options.leaseMs): Record<PostingTarget, Posting> {
    const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
    const entries = POSTING_TARGETS.map((target) => [target, this.canPost(target) ? { ...queuedPosting(now), leaseUntil } : queuedPosting(now)] as const);
    return Object.fromEntries(entries) as Record<PostingTarget, Posting>; // fromEntries loses the key type; every target is present
  }

  /**
   * The fast path for an order just inserted with newPostings(): attempts the postings leased to
   * this worker, in parallel, and records every outcome in one change, exactly as runOnce would;
   * the insert took the lease, so this costs no claim. Returns the order as stored after (as
   * inserted when nothing was leased). Rejects only when the store fails; a posting whose outcome
   * was not recorded is retried by a worker once the lease has run out.
   */
  async postInserted(order: PlacedOrder, now?: Date): Promise<PlacedOrder> {
    const clock = now ? () => now : () => new Date();
    const leased = POSTING_TARGETS.filter((target) => order.postings[target].state === 'QUEUED' && order.postings[target].leaseUntil !== null && this.options.posters[target]);
    if (leased.length === 0) return order;
    const { stored } = await this.attemptAll(order, leased, clock);
    return stored ?? (await this.stored(order.id));
  }

  /**
   * The backend of `target` is back (its circuit closed): post its backlog now, without waiting
   * out the backoff each posting was given while it was down. Rounds follow at once until the
   * backlog is drained; without start() the next runOnce() does it.
   */
  catchUp(target: PostingTarget): void {
    this.catchingUp.add(target);
    this.loop.wake();
  }

  /** Runs rounds until stop(): every intervalMs, or at once while rounds come back full. */
  start(): void {
    this.loop.start();
  }

  /** Stops the loop and waits for the round in flight, so no posting is left half-recorded by us. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * One round of the start() loop; true (go again at once) while rounds come back full or a
   * backend is caught up. A round that failed (the store is down) waits the interval, catching
   * up or not: going again at once would spin on the failing store.
   */
  private async loopRound(): Promise<boolean> {
    try {
      return (await this.runOnce()).full || this.catchingUp.size > 0;
    } catch (error) {
      this.log({ level: 'error', message: 'outbox round failed; trying again next interval', error });
      return false;
    }
  }

  /** Posts one claimed posting and records the outcome; rejects only when recording fails. */
  private async attempt(order: PlacedOrder, target: PostingTarget, clock: () => Date): Promise<PostingOutcome> {
    const outcome = (await this.attemptAll(order, [target], clock)).outcomes[target];
    if (!outcome) throw new Error(`no outcome recorded for the ${target} posting of ${order.id}`);
    return outcome;
  }

  /**
   * Posts the claimed postings of one order in parallel and records every outcome in one change;
   * rejects only when recording fails. Callbacks and logs follow the record, never precede it.
   * Returns the outcomes and the order as stored after the record (null when the record changed
   * nothing: another worker had recorded them first).
   */
  private async attemptAll(
    order: PlacedOrder,
    targets: readonly PostingTarget[],
    clock: () => Date,
  ): Promise<{ outcomes: Partial<Record<PostingTarget, PostingOutcome>>; stored: PlacedOrder | null }> {
    const tried = await Promise.all(
      targets.map(async (target) => {
        const poster = this.options.posters[target];
        if (!poster) throw new Error(`no poster for ${target}; it should not have been claimed`);
        try {
          return { target, reference: await poster(order), error: null, failed: false };
        } catch (error) {
          return { target, reference: null, error, failed: true };
        }
      }),
    );
    const now = clock();
    const attempts = tried.map((t): PostingAttempt => {
      if (!t.failed) return { target: t.target, outcome: 'posted', reference: t.reference, at: now };
      if (this.isDeferred(t.error)) {
        return { target: t.target, outcome: 'deferred', error: describeError(t.error), nextAttemptAt: new Date(now.getTime() + this.options.policy.baseDelayMs) };
      }
      const retry = decideRetry({
        attempts: order.postings[t.target].attempts + 1,
        permanent: this.isPermanent(t.error),
        policy: this.options.policy,
        maxPermanentAttempts: this.options.maxPermanentAttempts ?? 1,
        now,
        random: this.options.random,
      });
      return { target: t.target, outcome: 'failed', error: describeError(t.error), nextAttemptAt: retry.nextAttemptAt, giveUp: retry.giveUp };
    });
    const stored = await this.options.store.recordAttempts(order.id, attempts);
    // An order CANCELLED when claimed was not posted (its posters skip it): nothing to withdraw.
    const posted = order.status === 'CANCELLED' ? [] : attempts.flatMap((attempt) => (attempt.outcome === 'posted' ? [attempt.target] : []));
    await this.withdrawIfCancelled(stored, order.id, posted);
    const outcomes: Partial<Record<PostingTarget, PostingOutcome>> = {};
    for (const [index, attempt] of attempts.entries()) {
      const { target } = attempt;
      if (attempt.outcome === 'posted') {
        this.notify(order, target, () => this.options.onPosted?.(order, target, attempt.reference));
        outcomes[target] = { state: 'POSTED', reference: attempt.reference, error: null };
      } else if (attempt.outcome === 'deferred') {
        this.log({ level: 'info', message: `posting deferred (backend known down); retrying at ${attempt.nextAttemptAt.toISOString()}`, orderId: order.id, target });
        outcomes[target] = { state: 'QUEUED', reference: null, error: attempt.error };
      } else if (!attempt.giveUp) {
        this.log({ level: 'warn', message: `posting failed; retrying at ${attempt.nextAttemptAt.toISOString()}`, orderId: order.id, target, error: tried[index]?.error });
        outcomes[target] = { state: 'QUEUED', reference: null, error: attempt.error };
      } else {
        this.log({ level: 'error', message: 'posting FAILED; no more automatic attempts', orderId: order.id, target, error: tried[index]?.error });
        this.notify(order, target, () => this.options.onFailed?.(order, target, tried[index]?.error));
        outcomes[target] = { state: 'FAILED', reference: null, error: attempt.error };
      }
    }
    return { outcomes, stored };
  }

  /**
   * Withdraws what was just posted when the order was cancelled meanwhile. The record's change
   * read the order after every post had returned, so a cancel it does not show came later and
   * finds these postings in their backends. `stored` null (nothing recorded): read it.
   */
  private async withdrawIfCancelled(stored: PlacedOrder | null, orderId: string, posted: readonly PostingTarget[]): Promise<void> {
    const withdrawals = posted.flatMap((target) => {
      const withdraw = this.options.withdrawals?.[target];
      return withdraw ? [{ target, withdraw }] : [];
    });
    if (withdrawals.length === 0) return;
    const current = stored ?? (await this.stored(orderId));
    if (current.status !== 'CANCELLED') return;
    await Promise.all(
      withdrawals.map(async ({ target, withdraw }) => {
        try {
          await withdraw(current);
        } catch (error) {
          this.log({ level: 'error', message: 'could not withdraw a posting of an order cancelled while it was posted; repeat cancelOrder', orderId, target, error });
        }
      }),
    );
  }

  private async stored(orderId: string): Promise<PlacedOrder> {
    const [stored] = await this.options.store.get([orderId]);
    if (!stored) throw new Error(`order ${orderId} is not stored; insert it before posting it`);
    return stored;
  }

  private isDeferred(error: unknown): boolean {
    try {
      return this.options.isDeferred?.(error) ?? false;
    } catch (classifyError) {
      this.log({ level: 'warn', message: 'isDeferred threw; counting the attempt', error: classifyError });
      return false;
    }
  }

  /** This worker has a poster for the target and its backend is not known down. */
  private canPost(target: PostingTarget): boolean {
    return this.options.posters[target] !== undefined && !this.isPaused(target);
  }

  private isPaused(target: PostingTarget): boolean {
    try {
      return this.options.paused?.(target) ?? false;
    } catch (error) {
      this.log({ level: 'warn', message: 'paused threw; posting anyway', target, error });
      return false;
    }
  }

  private isPermanent(error: unknown): boolean {
    try {
      return this.options.isPermanent?.(error) ?? false;
    } catch (classifyError) {
      this.log({ level: 'warn', message: 'isPermanent threw; treating the error as transient', error: classifyError });
      return false;
    }
  }

  /** Runs a caller's callback; its failure is logged, never turned into a failed posting. */
  private notify(order: PlacedOrder, target: PostingTarget, callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.log({ level: 'error', message: 'outbox callback threw', orderId: order.id, target, error });
    }
  }

  private log(entry: OutboxLogEntry): void {
    this.options.log?.(entry);
  }
}

function describeError(error: unknown): string {
  // By shape, not `instanceof Error`: errors from Node itself come from another realm under Jest.
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  // Stored on the order: keep a runaway error body from bloating the document.
  return message.length > 1000 ? `${message.slice(0, 1000)}…` : message;
}

/** Runs `task` over `items` with at most `limit` at once. */
async function forEachBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index];
      if (item !== undefined) await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
