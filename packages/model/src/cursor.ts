/**
 * GraphQL cursors are opaque to clients. They wrap the backend's own continuation (a page
 * number, a since-id, a token) with a tag, so a cursor from one list is refused by another.
 */
export class CursorError extends Error {
  override name = 'CursorError';
}

export function encodeCursor(list: string, continuation: string): string {
  return Buffer.from(`${list}:${continuation}`, 'utf8').toString('base64url');
}

export function decodeCursor(list: string, cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${list}:`;
  if (!raw.startsWith(prefix) || raw.length === prefix.length) {
    throw new CursorError(`cursor "${cursor}" does not belong to the ${list} list`);
  }
  return raw.slice(prefix.length);
}

/** Page sizes the graph accepts: 1..100. */
export const MAX_PAGE_SIZE = 100;

export function checkPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new CursorError(`"first" must be between 1 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}
