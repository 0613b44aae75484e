import { randomUUID } from 'node:crypto';
import { MongoClient, type Collection, type Filter } from 'mongodb';
import { newExceptionId } from './exception-id';
import { fromExceptionDocument, toExceptionDocument, type ExceptionDocument, type ExceptionRevisionDocument } from './exception-document';
import { ExceptionRevisions, isDuplicateKey } from './exception-revisions';
import {
  claimForReplay,
  closeDiscarded,
  closeReplayed,
  openException,
  openKeyOf,
  recordRecurrence,
  releaseClaim,
  validateListing,
  validateReport,
} from './exception-transitions';
import { translateMongoError } from './mongo-errors';
import type {
  DiscardResult,
  ExceptionFilter,
  ExceptionPage,
  ExceptionReport,
  ExceptionStore,
  HubException,
  ReplayClaimResult,
  ResolutionInput,
} from './ports';
import { recorded } from './exception-observer';

/** Options of MongoExceptionStore.connect. */
export interface MongoExceptionStoreOptions {
  /** Database name; default: the one in the URL. */
  dbName?: string;
  /** Exceptions collection (default `exceptions`); pending revisions live in `<collection>_revisions`. */
  collection?: string;
  /**
   * How long a call waits for a reachable server before it fails (default 5000 ms): a component
   * recording a failure while the database is down must get an error fast, not hang for 30 s.
   */
  serverSelectionTimeoutMS?: number;
  /** A pending revision older than this (default 5000 ms) is a crashed writer's; the next writer completes it. */
  abandonedRevisionMs?: number;
}

/** A record() races others for one item at most this often before it is a bug, not contention. */
const MAX_RECORD_ATTEMPTS = 20;

/**
 * The exception store on MongoDB (official driver; FerretDB in tests). One document per exception;
 * a unique index on its open key keeps one open exception per kind and subject, and every change
 * is a revision compare-and-set (ExceptionRevisions), which FerretDB needs to be atomic.
 */
export class MongoExceptionStore implements ExceptionStore {
  private readonly revisions: ExceptionRevisions;

  private constructor(
    private readonly client: MongoClient,
    private readonly exceptions: Collection<ExceptionDocument>,
    revisions: Collection<ExceptionRevisionDocument>,
    private readonly server: string,
    abandonedRevisionMs: number,
  ) {
    this.revisions = new ExceptionRevisions(exceptions, revisions, abandonedRevisionMs);
  }

  /** Connects, creates the indexes if missing, and returns the store; fails with ExceptionStoreUnavailableError. */
  static async connect(url: string, options: MongoExceptionStoreOptions = {}): Promise<MongoExceptionStore> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000, appName: 'crossdock-exceptions' });
    // The parsed hosts, never the URL itself: error messages must not carry credentials.
    const server = client.options.hosts.map(String).join(',');
    const name = options.collection ?? 'exceptions';
    try {
      await client.connect();
      const db = client.db(options.dbName);
      const exceptions = db.collection<ExceptionDocument>(name);
      const revisions = db.collection<ExceptionRevisionDocument>(`${name}_revisions`);
      // One createIndex call per index: FerretDB 1.24 drops the connection when one createIndexes
      // call lists several indexes that all exist already (every start after the first).
      await exceptions.createIndex({ openKey: 1 }, { name: 'openKey_unique', unique: true });
      await exceptions.createIndex({ state: 1, _id: -1 }, { name: 'state_newest' });
      await revisions.createIndex({ exceptionId: 1, revision: 1 }, { name: 'exceptionId_revision' });
      return new MongoExceptionStore(client, exceptions, revisions, server, options.abandonedRevisionMs ?? 5000);
    } catch (error) {
      await client.close();
      throw translateMongoError(server, 'connect', error);
    }
  }

  async record(report: ExceptionReport, now: Date = new Date()): Promise<{ exception: HubException; created: boolean }> {
    return recorded(await this.recordReport(report, now));
  }

  private async recordReport(report: ExceptionReport, now: Date): Promise<{ exception: HubException; created: boolean }> {
    validateReport(report);
    const openKey = openKeyOf({ ...report, state: 'open', id: '' });
    return this.guard('record', async () => {
      for (let attempt = 1; attempt <= MAX_RECORD_ATTEMPTS; attempt += 1) {
        const open = await this.exceptions.findOne({ openKey });
        if (open) {
          const { current, changed } = await this.revisions.commit(open._id, (exception) => recordRecurrence(exception, report, now), open);
          if (changed && current) return { exception: current, created: false };
          continue; // closed meanwhile: the next round opens a new one
        }
        const exception = openException(report, newExceptionId(now), now);
        try {
          await this.exceptions.insertOne(toExceptionDocument(exception, 0));
          return { exception, created: true };
        } catch (error) {
          // Another writer opened one for this item first; the next round adds to it.
          if (!isDuplicateKey(error)) throw error;
        }
      }
      throw new Error(`exception ${openKey}: still racing after ${MAX_RECORD_ATTEMPTS} attempts to record it`);
    });
  }

  async get(ids: readonly string[]): Promise<(HubException | null)[]> {
    return this.guard('get', async () => {
      const docs = await this.exceptions.find({ _id: { $in: [...new Set(ids)] } }).toArray();
      const byId = new Map(docs.map((doc) => [doc._id, fromExceptionDocument(doc)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  async list(filter: ExceptionFilter, page: { first: number; after: string | null }): Promise<ExceptionPage> {
    validateListing(filter, page.first);
    return this.guard('list', async () => {
      const docs = await this.exceptions
        .find(queryOf(filter, page.after))
        .sort({ _id: -1 })
        .limit(page.first + 1)
        .toArray();
      const items = docs.slice(0, page.first).map(fromExceptionDocument);
      const last = items.at(-1);
      return { items, nextCursor: docs.length > page.first && last ? last.id : null };
    });
  }

  async claimReplay(id: string, by: string, now: Date, leaseMs: number): Promise<ReplayClaimResult> {
    const token = randomUUID();
    const { current, changed } = await this.guard('claimReplay', () => this.revisions.commit(id, (exception) => claimForReplay(exception, token, by, now, leaseMs)));
    if (!current) return { status: 'not-found' };
    if (changed) return { status: 'claimed', exception: current, token };
    return { status: current.state === 'open' ? 'in-progress' : 'not-open', exception: current };
  }

  async markReplayed(id: string, token: string, resolution: ResolutionInput): Promise<HubException | null> {
    const { current, changed } = await this.guard('markReplayed', () => this.revisions.commit(id, (exception) => closeReplayed(exception, token, resolution)));
    return changed ? current : null;
  }

  async releaseReplay(id: string, token: string): Promise<HubException | null> {
    const { current, changed } = await this.guard('releaseReplay', () => this.revisions.commit(id, (exception) => releaseClaim(exception, token)));
    return changed ? current : null;
  }

  async discard(id: string, resolution: ResolutionInput): Promise<DiscardResult> {
    const { current, changed } = await this.guard('discard', () => this.revisions.commit(id, (exception) => closeDiscarded(exception, resolution)));
    if (!current) return { status: 'not-found' };
    if (changed) return { status: 'discarded', exception: current };
    // Not closable: either closed already, or a replay holds it.
    return { status: current.state === 'open' ? 'in-progress' : 'not-open', exception: current };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateMongoError(this.server, operation, error);
    }
  }
}

/** The MongoDB query for a listing; mirrors matchesFilter (exception-transitions.ts). */
function queryOf(filter: ExceptionFilter, after: string | null): Filter<ExceptionDocument> {
  const firstSeenAt = {
    ...(filter.firstSeenAfter ? { $gte: new Date(filter.firstSeenAfter) } : {}),
    ...(filter.firstSeenBefore ? { $lt: new Date(filter.firstSeenBefore) } : {}),
  };
  return {
    ...(after === null ? {} : { _id: { $lt: after } }),
    ...(filter.kinds && filter.kinds.length > 0 ? { kind: { $in: [...filter.kinds] } } : {}),
    ...(filter.states && filter.states.length > 0 ? { state: { $in: [...filter.states] } } : {}),
    ...(filter.channel === null || filter.channel === undefined ? {} : { channel: filter.channel }),
    ...(filter.subject === null || filter.subject === undefined ? {} : { subject: filter.subject }),
    ...(Object.keys(firstSeenAt).length > 0 ? { firstSeenAt } : {}),
  };
}
