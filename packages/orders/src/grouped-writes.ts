import { MongoBulkWriteError, MongoServerError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';

/** Options of GroupedWrites. */
export interface GroupedWritesOptions {
  /**
   * Write commands of this group in flight at once (default 1). Writes arriving meanwhile wait and
   * go together in the next command; more in flight means smaller groups and more round trips
   * (place-order bench: 1 took 171 orders/s where 2 took 157).
   */
  maxInFlight?: number;
  /** Most writes in one command (default 200), far below the server's 100,000 per batch. */
  maxGroup?: number;
  /**
   * How long a command may go unanswered before its writes fail with UnansweredWriteError and
   * its slot is freed (default 30 s). The driver (7.9) can leave a bulk write pending for good
   * when the server dies under it (seen in the tests about one time in three); without a
   * deadline that one command would hold every later write of the collection.
   */
  commandTimeoutMs?: number;
}

/** One write of a group that the server refused (a duplicate key, a validation error), alone. */
export class RefusedWriteError extends Error {
  override name = 'RefusedWriteError';
  constructor(
    message: string,
    /** The server's error code, e.g. 11000 for a duplicate key. */
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

/** The server did not answer a group's command in time: each of its writes may or may not have been applied. */
export class UnansweredWriteError extends Error {
  override name = 'UnansweredWriteError';
}

/** True when `error` is the server refusing a write because a unique key is taken, alone or in a group. */
export function isDuplicateKey(error: unknown): boolean {
  return (error instanceof MongoServerError || error instanceof RefusedWriteError) && error.code === DUPLICATE_KEY;
}

const DUPLICATE_KEY = 11000;

interface PendingWrite<T extends Document> {
  operation: AnyBulkWriteOperation<T>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for single-document writes to one collection: writes that callers issue while the
 * previous command is in flight go to the server as ONE unordered bulk write, and each caller
 * still learns the outcome of its own write. Under load this turns many small round trips into a
 * few large ones (on FerretDB one SQLite transaction instead of one each; the driver's per-command
 * work, server selection, sessions and wire framing, once per group); alone, a write goes out on
 * the next turn of the event loop.
 *
 * Only for writes whose outcome is success or the server's refusal of that one write (inserts,
 * deletes and replaces by `_id`): a group reports no per-write counts (matched, deleted). Writes
 * of one group are unordered, so two writes that depend on each other belong in separate calls.
 */
export class GroupedWrites<T extends Document> {
  private readonly waiting: PendingWrite<T>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxInFlight: number;
  private readonly maxGroup: number;
  private readonly commandTimeoutMs: number;

  constructor(
    private readonly collection: Collection<T>,
    options: GroupedWritesOptions = {},
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
    this.maxGroup = Math.max(1, options.maxGroup ?? 200);
    this.commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
  }

  /**
   * Resolves once the server applied this write; rejects with RefusedWriteError when it refused
   * this write alone, or with the command's error (the server unreachable, ...) when the whole
   * group failed.
   */
  write(operation: AnyBulkWriteOperation<T>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ operation, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    // The next turn, not now: writes issued in this turn of the event loop join the same group.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.maxGroup);
      this.inFlight += 1;
      void this.send(group).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    }
  }

  private async send(group: PendingWrite<T>[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new UnansweredWriteError(`no answer to a group of ${group.length} writes within ${this.commandTimeoutMs} ms; each may or may not have been applied`)),
        this.commandTimeoutMs,
      );
    });
    try {
      await Promise.race([this.collection.bulkWrite(group.map((write) => write.operation), { ordered: false }), deadline]);
      for (const write of group) write.resolve();
    } catch (error) {
      const refused = refusedByIndex(error);
      if (!refused) {
        const cause = commandFailure(error);
        for (const write of group) write.reject(cause);
        return;
      }
      group.forEach((write, index) => {
        const own = refused.get(index);
        if (own) write.reject(own);
        else write.resolve();
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The writes an unordered bulk write refused, by their index in it; null when the command failed
 * as a whole (then nothing can be said of any single write) or reported a write concern error.
 */
function refusedByIndex(error: unknown): Map<number, RefusedWriteError> | null {
  if (!(error instanceof MongoBulkWriteError) || error.result.getWriteConcernError() || !error.result.hasWriteErrors()) return null;
  return new Map(
    error.result.getWriteErrors().map((writeError) => [writeError.index, new RefusedWriteError(writeError.errmsg ?? `write refused (code ${writeError.code})`, writeError.code)]),
  );
}

/**
 * What made the command fail as a whole. The driver wraps even a network failure of a bulk write
 * in MongoBulkWriteError (keeping the original as `errorResponse`); callers get the original,
 * as a single write would have thrown it, so they can tell "unreachable" from "refused".
 */
function commandFailure(error: unknown): unknown {
  if (error instanceof MongoBulkWriteError && !error.result.hasWriteErrors() && error.errorResponse instanceof Error) return error.errorResponse;
  return error;
}
