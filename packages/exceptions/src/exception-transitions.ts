import { EXCEPTION_KINDS, type ExceptionFilter, type ExceptionReport, type HubException, type ResolutionInput } from './ports';

/*
 * Every state change of an exception as a pure function. Both stores apply these same functions
 * (the memory store in place, the MongoDB store as a compare-and-set of the next revision), so the
 * in-process substitute cannot drift from the real one. Each returns the next exception, or null
 * when the change does not apply (nothing is written then).
 */

/** Reasons are error messages; a runaway error body must not bloat every list page. */
export const MAX_REASON_LENGTH = 2_000;
const MAX_SUBJECT_LENGTH = 500;
const KINDS: ReadonlySet<string> = new Set(EXCEPTION_KINDS);

/** Throws a RangeError naming the first bad field: a bad report is a bug in the reporting code. */
export function validateReport(report: ExceptionReport): void {
  if (!KINDS.has(report.kind)) throw new RangeError(`exception kind must be one of ${EXCEPTION_KINDS.join(', ')}, got "${report.kind}"`);
  if (typeof report.subject !== 'string' || report.subject.trim() === '' || report.subject.length > MAX_SUBJECT_LENGTH) {
    throw new RangeError(`exception subject must be 1 to ${MAX_SUBJECT_LENGTH} characters, got "${String(report.subject).slice(0, 40)}"`);
  }
  if (typeof report.reason !== 'string') throw new RangeError('exception reason must be a string');
  if (typeof report.rawPayload !== 'string') throw new RangeError('exception rawPayload must be a string (kept verbatim)');
  const attempts = report.attempts ?? 1;
  if (!Number.isSafeInteger(attempts) || attempts < 1) throw new RangeError(`exception attempts must be a positive integer, got ${attempts}`);
}

/** Checks a listing's page size and time bounds once, for both stores. */
export function validateListing(filter: ExceptionFilter, first: number): void {
  if (!Number.isSafeInteger(first) || first < 1) throw new RangeError(`list: first must be a positive integer, got ${first}`);
  for (const [name, value] of [['firstSeenAfter', filter.firstSeenAfter], ['firstSeenBefore', filter.firstSeenBefore]] as const) {
    if (value !== null && value !== undefined && Number.isNaN(Date.parse(value))) throw new RangeError(`list: ${name} is not a time: "${value}"`);
  }
}

function clip(reason: string): string {
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
}

/**
 * The key only one OPEN exception may hold at a time (a unique index in MongoDB): an exception
 * that closes takes a key of its own, so the next failure of the same item opens a new one.
 */
export function openKeyOf(exception: Pick<HubException, 'kind' | 'subject' | 'state' | 'id'>): string {
  return exception.state === 'open' ? `open:${exception.kind}:${exception.subject}` : `closed:${exception.id}`;
}

/** A new open exception for `report`. */
export function openException(report: ExceptionReport, id: string, now: Date): HubException {
  const at = now.toISOString();
  return {
    id,
    kind: report.kind,
    channel: report.channel ?? null,
    warehouseId: report.warehouseId ?? null,
    subject: report.subject,
    reason: clip(report.reason),
    rawPayload: report.rawPayload,
    attempts: report.attempts ?? 1,
    firstSeenAt: at,
    lastSeenAt: at,
    state: 'open',
    resolution: null,
    replayClaim: null,
  };
}

/** The same item failed again while its exception is open: attempts added, last seen and reason updated. */
export function recordRecurrence(exception: HubException, report: ExceptionReport, now: Date): HubException | null {
  if (exception.state !== 'open') return null;
  const lastSeenAt = Date.parse(exception.lastSeenAt) > now.getTime() ? exception.lastSeenAt : now.toISOString();
  return {
    ...exception,
    attempts: exception.attempts + (report.attempts ?? 1),
    lastSeenAt,
    reason: clip(report.reason),
    channel: exception.channel ?? report.channel ?? null,
    warehouseId: exception.warehouseId ?? report.warehouseId ?? null,
  };
}

/** Whether another replayer holds a claim that has not expired at `now`. */
export function isClaimedAt(exception: HubException, now: Date): boolean {
  return exception.replayClaim !== null && Date.parse(exception.replayClaim.until) > now.getTime();
}

/** Claims an open, unclaimed (or expired-claim) exception for a replay. */
export function claimForReplay(exception: HubException, token: string, by: string, now: Date, leaseMs: number): HubException | null {
  if (exception.state !== 'open' || isClaimedAt(exception, now)) return null;
  return { ...exception, replayClaim: { token, by, until: new Date(now.getTime() + leaseMs).toISOString() } };
}

function holds(exception: HubException, token: string): boolean {
  return exception.state === 'open' && exception.replayClaim?.token === token;
}

/** Closes as replayed, only for the claim's holder. */
export function closeReplayed(exception: HubException, token: string, resolution: ResolutionInput): HubException | null {
  if (!holds(exception, token)) return null;
  return { ...exception, state: 'replayed', replayClaim: null, resolution: resolutionOf(resolution) };
}

/** Drops the holder's claim; the exception stays open. */
export function releaseClaim(exception: HubException, token: string): HubException | null {
  if (!holds(exception, token)) return null;
  return { ...exception, replayClaim: null };
}

/** Closes as discarded, unless a replay holds it at that time. */
export function closeDiscarded(exception: HubException, resolution: ResolutionInput): HubException | null {
  if (exception.state !== 'open' || isClaimedAt(exception, resolution.at)) return null;
  return { ...exception, state: 'discarded', replayClaim: null, resolution: resolutionOf(resolution) };
}

function resolutionOf(input: ResolutionInput): HubException['resolution'] {
  return { by: input.by, at: input.at.toISOString(), note: input.note };
}

/** Whether an exception is listed under `filter` (the memory store's query; MongoDB's mirrors it). */
export function matchesFilter(exception: HubException, filter: ExceptionFilter): boolean {
  const firstSeen = Date.parse(exception.firstSeenAt);
  return (
    (!filter.kinds || filter.kinds.length === 0 || filter.kinds.includes(exception.kind)) &&
    (!filter.states || filter.states.length === 0 || filter.states.includes(exception.state)) &&
    (filter.channel === null || filter.channel === undefined || filter.channel === exception.channel) &&
    (filter.subject === null || filter.subject === undefined || filter.subject === exception.subject) &&
    (!filter.firstSeenAfter || firstSeen >= Date.parse(filter.firstSeenAfter)) &&
    (!filter.firstSeenBefore || firstSeen < Date.parse(filter.firstSeenBefore))
  );
}
