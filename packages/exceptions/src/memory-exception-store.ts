import { randomUUID } from 'node:crypto';
import { newExceptionId } from './exception-id';
import {
  claimForReplay,
  closeDiscarded,
  closeReplayed,
  matchesFilter,
  openException,
  openKeyOf,
  recordRecurrence,
  releaseClaim,
  validateListing,
  validateReport,
} from './exception-transitions';
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

/**
 * The in-process exception store for all-in-one mode. Same semantics as MongoExceptionStore (the
 * shared contract suite runs against both); state lives as long as the process. Every method
 * reads and writes without an await in between, which is what makes each change atomic here.
 * Exceptions are copied in and out, as a database would, so callers cannot change what is stored.
 */
export class MemoryExceptionStore implements ExceptionStore {
  private readonly exceptions = new Map<string, HubException>();
  private readonly openByKey = new Map<string, string>();

  async record(report: ExceptionReport, now: Date = new Date()): Promise<{ exception: HubException; created: boolean }> {
    return recorded(await this.recordReport(report, now));
  }

  private async recordReport(report: ExceptionReport, now: Date): Promise<{ exception: HubException; created: boolean }> {
    validateReport(report);
    const openId = this.openByKey.get(openKeyOf({ ...report, state: 'open', id: '' }));
    const open = openId === undefined ? undefined : this.exceptions.get(openId);
    const recurred = open ? recordRecurrence(open, report, now) : null;
    if (recurred) return { exception: this.put(recurred), created: false };
    return { exception: this.put(openException(report, newExceptionId(now), now)), created: true };
  }

  async get(ids: readonly string[]): Promise<(HubException | null)[]> {
    return ids.map((id) => {
      const exception = this.exceptions.get(id);
      return exception ? structuredClone(exception) : null;
    });
  }

  async list(filter: ExceptionFilter, page: { first: number; after: string | null }): Promise<ExceptionPage> {
    validateListing(filter, page.first);
    const after = page.after;
    const matching = [...this.exceptions.values()]
      .filter((exception) => (after === null || exception.id < after) && matchesFilter(exception, filter))
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const items = matching.slice(0, page.first).map((exception) => structuredClone(exception));
    const last = items.at(-1);
    return { items, nextCursor: matching.length > page.first && last ? last.id : null };
  }

  async claimReplay(id: string, by: string, now: Date, leaseMs: number): Promise<ReplayClaimResult> {
    const current = this.exceptions.get(id);
    if (!current) return { status: 'not-found' };
    const token = randomUUID();
    const claimed = claimForReplay(current, token, by, now, leaseMs);
    if (claimed) return { status: 'claimed', exception: this.put(claimed), token };
    return { status: current.state === 'open' ? 'in-progress' : 'not-open', exception: structuredClone(current) };
  }

  async markReplayed(id: string, token: string, resolution: ResolutionInput): Promise<HubException | null> {
    return this.change(id, (current) => closeReplayed(current, token, resolution));
  }

  async releaseReplay(id: string, token: string): Promise<HubException | null> {
    return this.change(id, (current) => releaseClaim(current, token));
  }

  async discard(id: string, resolution: ResolutionInput): Promise<DiscardResult> {
    const current = this.exceptions.get(id);
    if (!current) return { status: 'not-found' };
    const discarded = closeDiscarded(current, resolution);
    if (discarded) return { status: 'discarded', exception: this.put(discarded) };
    // Not closable: either closed already, or a replay holds it.
    return { status: current.state === 'open' ? 'in-progress' : 'not-open', exception: structuredClone(current) };
  }

  async close(): Promise<void> {
    // Nothing to release; the exceptions stay readable, as a closed client's database would keep them.
  }

  private change(id: string, transition: (current: HubException) => HubException | null): HubException | null {
    const current = this.exceptions.get(id);
    const next = current ? transition(current) : null;
    return next ? this.put(next) : null;
  }

  /** Stores `next` (keeping the open-key index right) and returns a copy of it. */
  private put(next: HubException): HubException {
    const previous = this.exceptions.get(next.id);
    if (previous) this.openByKey.delete(openKeyOf(previous));
    this.exceptions.set(next.id, structuredClone(next));
    if (next.state === 'open') this.openByKey.set(openKeyOf(next), next.id);
    return structuredClone(next);
  }
}
