import { InvalidCursorError } from './ports';

/** A stream id as numbers: milliseconds and sequence within that millisecond. */
export interface StreamIdParts {
  ms: bigint;
  seq: bigint;
}

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;

/** The id before any entry: reading after it reads everything. */
export const STREAM_START = '0-0';

/** Parses `<ms>-<seq>`; throws InvalidCursorError for anything else (a cursor is client input). */
export function parseStreamId(id: string): StreamIdParts {
  const match = STREAM_ID.exec(id);
  if (!match?.[1] || !match[2]) throw new InvalidCursorError(id);
  return { ms: BigInt(match[1]), seq: BigInt(match[2]) };
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareStreamIds(a: string, b: string): number {
  const x = parseStreamId(a);
  const y = parseStreamId(b);
  if (x.ms !== y.ms) return x.ms < y.ms ? -1 : 1;
  if (x.seq !== y.seq) return x.seq < y.seq ? -1 : 1;
  return 0;
}

/** Throws InvalidCursorError unless `cursor` is a stream id; answers it unchanged. */
export function checkCursor(cursor: string): string {
  parseStreamId(cursor);
  return cursor;
}

/** What a stream says about its own history (Redis: XINFO STREAM). */
export interface StreamHistory {
  /** False for a stream never written, or lost (Redis restarted without persistence). */
  exists: boolean;
  length: number;
  /** Entries ever appended (entries-added). */
  added: number;
  /** The oldest entry still kept; null when none is. */
  firstId: string | null;
  lastGeneratedId: string;
  /** The newest id removed by a delete (max-deleted-entry-id); Redis 7.0 leaves it at 0-0 on trimming. */
  maxDeletedId: string;
}

/**
 * True when entries after `cursor` may have been removed, so replaying from it could skip events
 * silently. Trimming removes the oldest entries, so anything was lost only when entries were
 * removed at all and the cursor is older than the oldest kept. This errs on the safe side in one
 * case: a cursor that is exactly the last entry trimmed counts as lost. A cursor the stream never
 * issued (newer than its last id, or any cursor for a stream that is gone) counts as lost too:
 * the history it points into is not there.
 */
export function cursorHasLostEntries(cursor: string, history: StreamHistory): boolean {
  if (!history.exists) return compareStreamIds(cursor, STREAM_START) > 0;
  if (compareStreamIds(cursor, history.lastGeneratedId) > 0) return true;
  if (compareStreamIds(cursor, history.maxDeletedId) < 0) return true;
  if (history.added <= history.length) return false;
  return compareStreamIds(cursor, history.firstId ?? history.lastGeneratedId) < 0;
}
