import { setTimeout as sleep } from 'node:timers/promises';
import { MongoServerError, type Collection } from 'mongodb';
import { fromExceptionDocument, toExceptionDocument, type ExceptionDocument, type ExceptionRevisionDocument } from './exception-document';
import type { HubException } from './ports';

const DUPLICATE_KEY = 11000;
const MAX_COMMIT_ATTEMPTS = 50;

/** The outcome of a commit: the exception as it now stands, and whether this change made it so. */
export interface Committed {
  current: HubException | null;
  changed: boolean;
}

/**
 * Changes exceptions one revision at a time, as a compare-and-set that holds on FerretDB too.
 *
 * Why not a filtered findOneAndUpdate: FerretDB v1 evaluates a filtered update by reading the
 * document and then rewriting all of it, so two concurrent conditional updates can both succeed
 * (two replays of one exception would both win; a recurrence could write an exception back open
 * after a replay closed it). A unique `_id` insert is the one write both servers make atomic, so
 * a writer first records the next revision under `<id>@<revision>` (only one writer can), then
 * replaces the document whose revision is still the one it read. The same scheme as the order
 * store (packages/orders, mongo-order-store.ts), and equally correct on MongoDB.
 */
export class ExceptionRevisions {
  constructor(
    private readonly exceptions: Collection<ExceptionDocument>,
    private readonly revisions: Collection<ExceptionRevisionDocument>,
    private readonly abandonedRevisionMs: number,
  ) {}

  /**
   * Applies `change` to the stored exception and returns it as it then stands; `changed` false
   * when it is unknown or the change does not apply to its current state. On a conflict it
   * re-reads and re-applies, so the change always sees the latest state.
   */
  async commit(id: string, change: (current: HubException) => HubException | null, known?: ExceptionDocument): Promise<Committed> {
    let current = known ?? null;
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
      current ??= await this.exceptions.findOne({ _id: id });
      if (!current) return { current: null, changed: false };
      const before = fromExceptionDocument(current);
      const next = change(before);
      if (!next) return { current: before, changed: false };
      const revision = current.revision + 1;
      const nextDoc = toExceptionDocument(next, revision);
      if (await this.recordRevision(id, revision, nextDoc)) {
        const { matchedCount } = await this.exceptions.replaceOne({ _id: id, revision: current.revision }, nextDoc);
        await this.revisions.deleteMany({ exceptionId: id, revision: { $lte: revision } });
        if (matchedCount === 1) return { current: next, changed: true };
      } else {
        await this.completeAbandonedRevision(id, current.revision);
        // Another writer holds this revision; let it finish before re-reading.
        await sleep(Math.min(50, attempt * 2) * Math.random());
      }
      current = null;
    }
    throw new Error(`exception ${id}: still conflicting after ${MAX_COMMIT_ATTEMPTS} attempts to change it`);
  }

  /** True when this writer now owns `revision` of the exception; false when another writer does. */
  private async recordRevision(id: string, revision: number, exception: ExceptionDocument): Promise<boolean> {
    try {
      await this.revisions.insertOne({ _id: `${id}@${revision}`, exceptionId: id, revision, recordedAt: new Date(), exception });
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** Finishes the revision after `revision` when its writer evidently died between the two writes. */
  private async completeAbandonedRevision(id: string, revision: number): Promise<void> {
    const pending = await this.revisions.findOne({ _id: `${id}@${revision + 1}` });
    if (!pending || Date.now() - pending.recordedAt.getTime() < this.abandonedRevisionMs) return;
    await this.exceptions.replaceOne({ _id: id, revision }, pending.exception);
    await this.revisions.deleteMany({ exceptionId: id, revision: { $lte: revision + 1 } });
  }
}

/** Whether a write failed on a unique index (the exception or its open key exists already). */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
