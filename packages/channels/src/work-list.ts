import { MongoBulkWriteError, MongoServerError, type Collection } from 'mongodb';
import { InsertBatcher } from './insert-batcher';

const DUPLICATE_KEY = 11000;

/** What a background loop looks for: webhooks and documents due for an attempt, queued POs. */
export type WorkKind = 'webhook' | 'doc' | 'po-retry';

/** One item a background loop must look at. */
export interface WorkEntry {
  /** `<kind>:<item id>`. */
  _id: string;
  kind: WorkKind;
  /** The item's `_id` in its own collection. */
  itemId: string;
  /** ISO-8601 UTC: when the item is worth a look. */
  nextAttemptAt: string;
  /** ISO-8601 UTC of the entry's last write: a clean-up removes only the entry it read, not one written since. */
  writtenAt: string;
}

/** What the item says when its entry is looked at. */
export type ItemSchedule = { state: 'done' } | { state: 'waiting'; nextAttemptAt: string };

/**
 * The channel store's work list (`<prefix>work`): one small entry per item a background loop
 * must look at, so the loops scan this collection and not the ones that grow with every
 * webhook, document and PO (FerretDB v1 reads and decodes a whole collection for any filter but
 * `_id` equality, and even that scans in SQLite). An entry is written before its item says it
 * needs work and removed after the item says it is done: a crash in between leaves an entry too
 * many, which the next look removes (see MongoChannelStore's claims), never one too few.
 */
export class WorkList {
  private readonly inserts: InsertBatcher<WorkEntry>;

  constructor(
    private readonly collection: Collection<WorkEntry>,
    /** An entry whose item is not stored this long after the entry was written was left by a crash (its item insert never happened). */
    private readonly abandonedMs: number,
  ) {
    // Entries written together (the webhook queue's hand-over stores a batch at once) go out as one insertMany.
    this.inserts = new InsertBatcher((rows) => insertAll(this.collection, rows));
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ kind: 1, nextAttemptAt: 1 });
  }

  /** Adds the entry of a new item; one that is there already is left as it is. */
  async add(kind: WorkKind, itemId: string, nextAttemptAt: string): Promise<void> {
    await this.inserts.insert(entry(kind, itemId, nextAttemptAt));
  }

  /** Writes the entry of an item that waits (again) until `nextAttemptAt`, adding it when missing. */
  async put(kind: WorkKind, itemId: string, nextAttemptAt: string): Promise<void> {
    const { _id, ...fields } = entry(kind, itemId, nextAttemptAt);
    const write = () => this.collection.updateOne({ _id }, { $set: fields }, { upsert: true });
    try {
      await write();
    } catch (error) {
      // Two racing upserts of a new _id may clash once; the entry exists then, so the second try updates it.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      await write();
    }
  }

  /** Removes the entry of an item that is done. */
  async remove(kind: WorkKind, itemId: string): Promise<void> {
    await this.collection.deleteOne({ _id: entryId(kind, itemId) });
  }

  /** Entries of `kind` due by `now` (every one when null), soonest first. */
  async due(kind: WorkKind, now: Date | null, limit: number): Promise<WorkEntry[]> {
    const filter = now === null ? { kind } : { kind, nextAttemptAt: { $lte: now.toISOString() } };
    return this.collection.find(filter).sort({ nextAttemptAt: 1 }).limit(limit).toArray();
  }

  /**
   * Looks at the items of due entries (read by `_id`, all at once) and keeps the entries honest:
   * an entry whose item is done goes (unless rewritten since it was read), one whose item waits
   * longer moves to the item's time, one whose item is not stored goes once it is older than an
   * insert in flight can be. Answers the items that are due now, in the entries' order.
   */
  async look<T>(entries: readonly WorkEntry[], now: Date, read: (itemId: string) => Promise<T | null>, schedule: (item: T) => ItemSchedule): Promise<T[]> {
    const looked = await Promise.all(
      entries.map(async (entry): Promise<T | null> => {
        const item = await read(entry.itemId);
        if (item === null) {
          if (now.getTime() - Date.parse(entry.writtenAt) > this.abandonedMs) await this.settle(entry);
          return null;
        }
        const state = schedule(item);
        if (state.state === 'done') {
          await this.settle(entry);
          return null;
        }
        if (state.nextAttemptAt > now.toISOString()) {
          if (state.nextAttemptAt !== entry.nextAttemptAt) await this.collection.updateOne({ _id: entry._id }, { $set: { nextAttemptAt: state.nextAttemptAt } });
          return null;
        }
        return item;
      }),
    );
    return looked.filter((item): item is Awaited<T> => item !== null);
  }

  /** Resolves once the entries handed to add() so far are written. */
  async flush(): Promise<void> {
    await this.inserts.flush();
  }

  private async settle(entry: WorkEntry): Promise<void> {
    await this.collection.deleteOne({ _id: entry._id, writtenAt: entry.writtenAt });
  }
}

function entryId(kind: WorkKind, itemId: string): string {
  return `${kind}:${itemId}`;
}

function entry(kind: WorkKind, itemId: string, nextAttemptAt: string): WorkEntry {
  return { _id: entryId(kind, itemId), kind, itemId, nextAttemptAt, writtenAt: new Date().toISOString() };
}

/** insertMany, unordered; entries there already count as written (each answer is true, the batcher's callers only wait). */
async function insertAll(collection: Collection<WorkEntry>, rows: readonly WorkEntry[]): Promise<boolean[]> {
  try {
    await collection.insertMany([...rows], { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const failures = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (!failures.every((failure) => failure.code === DUPLICATE_KEY)) throw error;
  }
  return rows.map(() => true);
}
