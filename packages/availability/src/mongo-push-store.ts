import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import type { AckRecord, FigureRecord, PushStore, ResyncCheckpoint } from './ports';
import { foldPushLog as fold } from './push-log';

/** One log entry: a batch of figures or acknowledgements, as written together. */
interface LogDocument {
  /** Time-ordered and unique per writer: `<epoch ms, 15 digits>-<writer>-<counter>`. */
  _id: string;
  figures: FigureRecord[];
  acks: AckRecord[];
  writtenAt: Date;
}
interface CheckpointDocument extends ResyncCheckpoint {
  _id: string;
}

/** Options of MongoPushStore.connect. */
export interface MongoPushStoreOptions {
  dbName?: string;
  /** Collection prefix (default `availability`): `<prefix>_log`, `<prefix>_resync`. */
  prefix?: string;
  serverSelectionTimeoutMS?: number;
}

/** Records per compacted entry: a few hundred kB at most, far below the 16 MB document limit. */
const RECORDS_PER_ENTRY = 500;

/**
 * The feeds' durable state on MongoDB (FerretDB in tests) as an append-only log: every
 * recomputation window appends one entry with all the figures it produced, every feed appends
 * one entry per batch of acknowledgements. Why a log and not one document per SKU: FerretDB v1
 * on SQLite writes about two hundred documents a second on a busy machine and answers concurrent
 * writers with "database is locked", while a channel feed at 200 changes a second needs
 * thousands; one insert per window costs the same whatever the window holds. Inserts with
 * distinct `_id`s never conflict, so the engine and every feed write without coordination.
 * Reading folds the entries by sequence number (a figure or acknowledgement with a higher seq
 * wins), so their order and duplicates do not matter; compaction rewrites the latest state into
 * a few entries and deletes the folded ones by `_id`. Only start and compaction scan.
 */
export class MongoPushStore implements PushStore {
  private counter = 0;
  private readonly writer = Math.random().toString(36).slice(2, 8);

  private constructor(
    private readonly client: MongoClient,
    private readonly log: Collection<LogDocument>,
    private readonly checkpoints: Collection<CheckpointDocument>,
  ) {}

  static async connect(url: string, options: MongoPushStoreOptions = {}): Promise<MongoPushStore> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000, appName: 'crossdock-availability' });
    await client.connect();
    const db = client.db(options.dbName);
    const prefix = options.prefix ?? 'availability';
    return new MongoPushStore(client, db.collection<LogDocument>(`${prefix}_log`), db.collection<CheckpointDocument>(`${prefix}_resync`));
  }

  async saveFigures(records: readonly FigureRecord[]): Promise<void> {
    if (records.length > 0) await this.append([...records], []);
  }

  async saveAcks(records: readonly AckRecord[]): Promise<void> {
    if (records.length > 0) await this.append([], [...records]);
  }

  async loadChannel(channel: string): Promise<{ figures: FigureRecord[]; acks: AckRecord[] }> {
    const folded = fold(await this.log.find({}).toArray());
    return { figures: [...folded.figures.values()].filter((f) => f.channel === channel), acks: [...folded.acks.values()].filter((a) => a.channel === channel) };
  }

  async compact(): Promise<number> {
    const entries = await this.log.find({}).toArray();
    if (entries.length <= 2) return 0;
    const { figures, acks } = fold(entries);
    const figureList = [...figures.values()];
    const ackList = [...acks.values()];
    for (let i = 0; i < figureList.length; i += RECORDS_PER_ENTRY) await this.append(figureList.slice(i, i + RECORDS_PER_ENTRY), []);
    for (let i = 0; i < ackList.length; i += RECORDS_PER_ENTRY) await this.append([], ackList.slice(i, i + RECORDS_PER_ENTRY));
    // The folded state is written first: a crash in between leaves duplicates, which folding ignores.
    // A few statements, not one per entry: compaction must not hold the database from the hot path.
    const ids = entries.map((entry) => entry._id);
    for (let i = 0; i < ids.length; i += RECORDS_PER_ENTRY) {
      const chunk = ids.slice(i, i + RECORDS_PER_ENTRY);
      await retryBusy(() => this.log.deleteMany({ _id: { $in: chunk } }));
    }
    return entries.length;
  }

  async checkpoint(channel: string): Promise<ResyncCheckpoint | null> {
    const doc = await this.checkpoints.findOne({ _id: channel });
    if (!doc) return null;
    const { _id: _ignored, ...checkpoint } = doc;
    return checkpoint;
  }

  async saveCheckpoint(checkpoint: ResyncCheckpoint): Promise<void> {
    await retryBusy(() => this.checkpoints.replaceOne({ _id: checkpoint.channel }, checkpoint, { upsert: true }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async append(figures: FigureRecord[], acks: AckRecord[]): Promise<void> {
    this.counter += 1;
    const _id = `${String(Date.now()).padStart(15, '0')}-${this.writer}-${String(this.counter).padStart(9, '0')}`;
    await retryBusy(async () => {
      try {
        await this.log.insertOne({ _id, figures, acks, writtenAt: new Date() });
      } catch (error) {
        // A retry of an insert whose answer was lost finds it written: done.
        if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
      }
    });
  }
}

/** Tries before a write gives up on a busy database. */
const BUSY_ATTEMPTS = 6;

/**
 * A write tried again while the server is only busy: FerretDB on SQLite answers "database is
 * locked" (SQLITE_BUSY) while another connection writes; an upsert racing another to insert
 * the same new document gets a duplicate key. Both succeed on a later try.
 */
async function retryBusy(write: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= BUSY_ATTEMPTS || !isTransient(error)) throw error;
      await sleep(25 * 2 ** attempt);
    }
  }
}

function isTransient(error: unknown): boolean {
  return error instanceof MongoServerError && (error.code === 11000 || /SQLITE_BUSY|database is locked/.test(error.message));
}
