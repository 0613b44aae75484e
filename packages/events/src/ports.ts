/**
 * The event bus port: append-only streams of entries ordered by id, read by cursor, read live,
 * and shared out by consumer groups. Redis Streams in production, an in-process substitute in
 * all-in-one; one contract suite runs against both (test/contract).
 */

/** One entry of a stream: its id (the cursor clients resume from) and its payload, verbatim. */
export interface StreamEntry {
  /** A Redis stream id, `<ms>-<seq>`; ids only grow within a stream. */
  id: string;
  /** The event as appended: canonical JSON (see canonical-events.ts). */
  payload: string;
}

/** How much history a stream keeps. */
export interface StreamRetention {
  /** Keep about this many most recent entries (XADD MAXLEN). */
  maxLength: number;
  /** When set, keep entries younger than this instead (XADD MINID, by the id's time). */
  maxAgeMs?: number | null;
  /**
   * Trim in whole radix-tree nodes (`~`), as Redis recommends: far cheaper, and a stream keeps a
   * little more than asked. Default true; tests ask for exact trimming to see the edge.
   */
  approximate?: boolean;
}

export interface BlockingRead {
  /** Wait at most this long for an entry (XREAD BLOCK); the read answers [] when none came. */
  blockMs: number;
  /** At most this many entries per read. */
  count: number;
}

export interface GroupRead extends BlockingRead {
  /**
   * Entries another consumer of the group took but did not acknowledge for this long are taken
   * over first (XAUTOCLAIM): a replica that died mid-entry does not leave it unprocessed.
   */
  claimIdleMs: number;
}

export interface EventStreams {
  /** Appends one entry and trims the stream to its retention; answers the new entry's id. */
  append(stream: string, payload: string): Promise<string>;
  /**
   * Appends unless an entry was already appended under `key` within `ttlMs`, atomically (two
   * replicas receiving the same notice at once append it once). Answers the entry's id, the
   * earlier one's for a repeat, and whether this call appended.
   */
  appendOnce(stream: string, payload: string, key: string, ttlMs: number): Promise<{ id: string; appended: boolean }>;
  /**
   * Entries after `after` (exclusive; null: from the oldest kept), oldest first, at most `count`.
   * Throws CursorExpiredError when entries after the cursor were already trimmed away, so a
   * client resuming from it would silently miss events; InvalidCursorError for a malformed one.
   */
  range(stream: string, after: string | null, count: number): Promise<StreamEntry[]>;
  /** Waits for entries after `after` (exclusive), oldest first; [] when none came in time. */
  read(stream: string, after: string, options: BlockingRead): Promise<StreamEntry[]>;
  /** The id of the newest entry, or "0-0" for an empty or missing stream: a live reader starts there. */
  lastId(stream: string): Promise<string>;
  /** Creates the consumer group if it is missing, delivering entries after `startId` ("$": only new ones). */
  ensureGroup(stream: string, group: string, startId: string): Promise<void>;
  /**
   * Entries for this consumer: first those the group's other consumers left unacknowledged for
   * `claimIdleMs`, then its own unacknowledged ones (after a restart under the same name), then
   * new ones. Each entry goes to one consumer of the group until acknowledged.
   */
  readGroup(stream: string, group: string, consumer: string, options: GroupRead): Promise<StreamEntry[]>;
  /** Marks entries processed by the group. */
  ack(stream: string, group: string, ids: readonly string[]): Promise<void>;
  /** Ends blocked reads (they answer [] or reject) and releases connections. */
  close(): Promise<void>;
}

/** The cursor is older than the stream's retention: events after it are gone. */
export class CursorExpiredError extends Error {
  override name = 'CursorExpiredError';
  readonly code = 'CURSOR_EXPIRED';

  constructor(
    readonly stream: string,
    readonly cursor: string,
    /** The oldest id still kept; resume from a fresh subscription. */
    readonly oldestKept: string | null,
  ) {
    super(`cursor ${cursor} is older than what ${stream} keeps; events after it were trimmed (oldest kept: ${oldestKept ?? 'none'})`);
  }
}

/** A cursor that is not a stream id. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  readonly code = 'INVALID_CURSOR';

  constructor(readonly cursor: string) {
    super(`"${cursor}" is not an event cursor (expected <milliseconds>-<sequence>, as in extensions.cursor)`);
  }
}

/** The bus is closed; no more reads or appends. */
export class StreamsClosedError extends Error {
  override name = 'StreamsClosedError';
}
