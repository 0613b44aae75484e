import { EXCEPTION_KINDS, type ExceptionKind, type ExceptionStore, type HubException } from './ports';

/** What a replay handler did: handed the item back for processing, or why it cannot (the exception stays open). */
export type ReplayHandled = { replayed: true; note: string } | { replayed: false; reason: string };

/**
 * Hands one exception's item back for processing, e.g. requeues a FAILED posting for the outbox.
 * It must be idempotent: a replay whose outcome was lost (the process died before the exception
 * was closed) is replayed again. It throws only when it could not tell (its store is down).
 */
export type ReplayHandler = (exception: HubException) => Promise<ReplayHandled>;

/** Replay handlers by kind; a kind without one cannot be replayed here (only discarded). */
export type ReplayHandlers = Partial<Record<ExceptionKind, ReplayHandler>>;

/**
 * The outcome of replaying one exception:
 * - REPLAYED: handed back now; the exception is closed as replayed.
 * - ALREADY_REPLAYED: closed as replayed before; nothing was done again.
 * - IN_PROGRESS: another replay holds it right now; nothing was done.
 * - DISCARDED: discarded before; a discarded exception is not replayed.
 * - NOT_FOUND: no exception has this id.
 * - NOT_REPLAYABLE: no handler for its kind, or the handler says it cannot be replayed; it stays open.
 * - FAILED: the replay could not be done now (a store down); it stays open, try again.
 */
export type ReplayOutcomeCode = 'REPLAYED' | 'ALREADY_REPLAYED' | 'IN_PROGRESS' | 'DISCARDED' | 'NOT_FOUND' | 'NOT_REPLAYABLE' | 'FAILED';

/** One exception's replay outcome, with the exception as it stands afterwards (null when unknown or unreadable). */
export interface ReplayResult {
  id: string;
  outcome: ReplayOutcomeCode;
  message: string;
  exception: HubException | null;
}

/** The outcome of a discard: closed now, or why not (the exception as it stands, when known). */
export type DiscardOutcome =
  | { discarded: true; exception: HubException }
  | { discarded: false; code: 'NOT_FOUND' | 'ALREADY_REPLAYED' | 'REPLAY_IN_PROGRESS' | 'INVALID_REASON'; message: string; exception: HubException | null };

/** Options of ExceptionReplayer. */
export interface ExceptionReplayerOptions {
  store: ExceptionStore;
  handlers: ReplayHandlers;
  /** How long a replay holds its exception (default 60 s); far above a handler's run. */
  leaseMs?: number;
  clock?: () => Date;
  /** A replay that failed inside (store or handler error); the outcome says FAILED too. */
  onError?: (exception: { id: string }, error: unknown) => void;
}

/** Longest discard reason kept; it is a note for operators, not a document. */
const MAX_DISCARD_REASON_LENGTH = 1_000;

/**
 * Replays and discards exceptions for operators. A replay claims the exception first (so two
 * operators replaying it at once replay it once), runs its kind's handler, then closes it as
 * replayed; a handler that cannot replay leaves it open. Replaying a replayed exception again does
 * nothing: replay is idempotent.
 */
export class ExceptionReplayer {
  private readonly leaseMs: number;
  private readonly clock: () => Date;

  constructor(private readonly options: ExceptionReplayerOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.clock = options.clock ?? (() => new Date());
    if (!Number.isSafeInteger(this.leaseMs) || this.leaseMs <= 0) throw new RangeError(`exception replayer: leaseMs must be a positive integer, got ${this.leaseMs}`);
  }

  /** Kinds this replayer has a handler for. */
  get replayableKinds(): ExceptionKind[] {
    return EXCEPTION_KINDS.filter((kind) => this.options.handlers[kind] !== undefined);
  }

  /** Replays each distinct id in turn (one outcome per id, in order); one failing never stops the others. */
  async replay(ids: readonly string[], by: string): Promise<ReplayResult[]> {
    const results: ReplayResult[] = [];
    for (const id of new Set(ids)) {
      try {
        results.push(await this.replayOne(id, by));
      } catch (error) {
        this.options.onError?.({ id }, error);
        results.push({ id, outcome: 'FAILED', message: `replay failed; the exception stays open, try again: ${messageOf(error)}`, exception: null });
      }
    }
    return results;
  }

  /** Discards an open exception with the operator's reason; discarding a discarded one again answers it as it is. */
  async discard(id: string, reason: string, by: string): Promise<DiscardOutcome> {
    const note = reason.trim();
    if (note === '' || note.length > MAX_DISCARD_REASON_LENGTH) {
      return { discarded: false, code: 'INVALID_REASON', message: `a discard needs a reason of 1 to ${MAX_DISCARD_REASON_LENGTH} characters`, exception: null };
    }
    const result = await this.options.store.discard(id, { by, at: this.clock(), note });
    switch (result.status) {
      case 'discarded':
        return { discarded: true, exception: result.exception };
      case 'not-found':
        return { discarded: false, code: 'NOT_FOUND', message: `exception ${id} does not exist`, exception: null };
      case 'in-progress':
        return { discarded: false, code: 'REPLAY_IN_PROGRESS', message: `exception ${id} is being replayed; look again once the replay is done`, exception: result.exception };
      case 'not-open':
        if (result.exception.state === 'discarded') return { discarded: true, exception: result.exception };
        return { discarded: false, code: 'ALREADY_REPLAYED', message: `exception ${id} was replayed already; nothing left to discard`, exception: result.exception };
    }
  }

  private async replayOne(id: string, by: string): Promise<ReplayResult> {
    const [found] = await this.options.store.get([id]);
    if (!found) return { id, outcome: 'NOT_FOUND', message: `exception ${id} does not exist`, exception: null };
    // Closed ones answer for themselves whatever this replayer can handle: replay is idempotent.
    if (found.state !== 'open') return unchanged('not-open', found);
    const handler = this.options.handlers[found.kind];
    if (!handler) return { id, outcome: 'NOT_REPLAYABLE', message: `${found.kind} exceptions cannot be replayed here; fix the source and resend it, or discard this one`, exception: found };
    const claim = await this.options.store.claimReplay(id, by, this.clock(), this.leaseMs);
    if (claim.status === 'not-found') return { id, outcome: 'NOT_FOUND', message: `exception ${id} does not exist`, exception: null };
    if (claim.status !== 'claimed') return unchanged(claim.status, claim.exception);
    let handled: ReplayHandled;
    try {
      handled = await handler(claim.exception);
    } catch (error) {
      await this.options.store.releaseReplay(id, claim.token).catch((releaseError: unknown) => this.options.onError?.({ id }, releaseError));
      throw error;
    }
    if (!handled.replayed) {
      const released = await this.options.store.releaseReplay(id, claim.token);
      return { id, outcome: 'NOT_REPLAYABLE', message: handled.reason, exception: released ?? claim.exception };
    }
    const closed = await this.options.store.markReplayed(id, claim.token, { by, at: this.clock(), note: handled.note });
    if (closed) return { id, outcome: 'REPLAYED', message: handled.note, exception: closed };
    // Our claim expired and another replay took it over; the handler is idempotent, so no harm done.
    const [now] = await this.options.store.get([id]);
    return { id, outcome: 'IN_PROGRESS', message: `${handled.note}; another replay took the exception over meanwhile`, exception: now ?? null };
  }
}

function unchanged(status: 'not-open' | 'in-progress', exception: HubException): ReplayResult {
  const { id } = exception;
  if (status === 'in-progress') return { id, outcome: 'IN_PROGRESS', message: `exception ${id} is being replayed by ${exception.replayClaim?.by ?? 'another operator'}`, exception };
  if (exception.state === 'discarded') return { id, outcome: 'DISCARDED', message: `exception ${id} was discarded; it is not replayed`, exception };
  return { id, outcome: 'ALREADY_REPLAYED', message: `exception ${id} was replayed already${exception.resolution ? ` at ${exception.resolution.at}` : ''}; nothing done again`, exception };
}

function messageOf(error: unknown): string {
  // By shape, not `instanceof Error`: errors from Node itself come from another realm under Jest.
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
