import type { StreamEntry } from './ports';

/**
 * Runtime checks for the raw (RESP2) stream replies of sendCommand: node-redis types them as a
 * union of everything Redis can say, so each one is narrowed here instead of cast.
 */
export class UnexpectedStreamReplyError extends Error {
  override name = 'UnexpectedStreamReplyError';
}

function unexpected(what: string, value: unknown): never {
  throw new UnexpectedStreamReplyError(`unexpected Redis reply for ${what}: ${JSON.stringify(value)}`);
}

export function replyList(value: unknown, what: string): unknown[] {
  return Array.isArray(value) ? value : unexpected(what, value);
}

export function replyText(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return unexpected(what, value);
}

export function replyCount(value: unknown, what: string): number {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : unexpected(what, value);
}

/** The field holding an entry's payload; an entry is `payload <json>`. */
export const PAYLOAD_FIELD = 'payload';

/** One `[id, [field, value, ...]]`; null for an id whose entry was trimmed (XAUTOCLAIM, XPENDING races). */
export function replyEntry(value: unknown): StreamEntry | null {
  const [id, fields] = replyList(value, 'stream entry');
  if (fields === null) return null;
  const list = replyList(fields, 'stream entry fields');
  for (let i = 0; i + 1 < list.length; i += 2) {
    if (replyText(list[i], 'field name') === PAYLOAD_FIELD) return { id: replyText(id, 'entry id'), payload: replyText(list[i + 1], 'payload') };
  }
  return unexpected('stream entry without a payload field', value);
}

export function replyEntries(value: unknown): StreamEntry[] {
  if (value === null) return [];
  return replyList(value, 'stream entries').flatMap((item) => replyEntry(item) ?? []);
}

/** XREAD / XREADGROUP for one stream: null (timed out) or `[[stream, entries]]`. */
export function replyReadOne(value: unknown): StreamEntry[] {
  if (value === null) return [];
  const [first] = replyList(value, 'XREAD');
  if (first === undefined) return [];
  const [, entries] = replyList(first, 'XREAD stream');
  return replyEntries(entries);
}

/** XINFO STREAM's flat `[name, value, ...]` list as a map. */
export function replyInfo(value: unknown): Map<string, unknown> {
  const list = replyList(value, 'XINFO STREAM');
  const info = new Map<string, unknown>();
  for (let i = 0; i + 1 < list.length; i += 2) info.set(replyText(list[i], 'XINFO field'), list[i + 1]);
  return info;
}
