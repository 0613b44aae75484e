/**
 * Event cursors are Redis Stream ids, `<milliseconds>-<sequence>` (CONTRACT.md, Subscriptions:
 * `extensions.cursor`). They order events of one stream, which is what lets an upstream that
 * resumes with `after` be checked for events it sends twice.
 */
export interface StreamId {
  ms: bigint;
  seq: bigint;
}

/** A cursor as a stream id, or null when it is not one (then it is passed on, never compared). */
export function parseStreamId(cursor: string): StreamId | null {
  const match = /^(\d{1,20})-(\d{1,20})$/.exec(cursor);
  if (!match?.[1] || !match[2]) return null;
  return { ms: BigInt(match[1]), seq: BigInt(match[2]) };
}

/**
 * True when `cursor` comes strictly after `previous` in the stream; also true when either is not
 * a stream id, as nothing can be said about its order and dropping a real event is worse.
 */
export function comesAfter(cursor: string, previous: string | null): boolean {
  if (previous === null) return true;
  const next = parseStreamId(cursor);
  const last = parseStreamId(previous);
  if (!next || !last) return true;
  return next.ms > last.ms || (next.ms === last.ms && next.seq > last.seq);
}
