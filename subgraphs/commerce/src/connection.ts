import { CursorError, checkPageSize, decodeCursor, encodeCursor, type Page, type PageRequest } from '@crossdock/model';
import { badUserInput } from './user-input';

/** A Relay connection as the schema's `...Connection` types expect it. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface ConnectionArgs {
  first: number;
  after?: string | null;
}

/**
 * Where a cursor resumes: the backend page that holds the edge (its continuation, null for the
 * first page) and how many items of that page come before the resume point. Backends only hand
 * out a continuation per page, but Relay lets a client resume after ANY edge, so each edge's
 * cursor carries both.
 */
interface Position {
  pageStart: string | null;
  skip: number;
}

/** A misbehaving backend that returns empty pages with a continuation must not loop forever. */
const MAX_BACKEND_CALLS = 10;

/**
 * Reads one connection page from a paged backend list. `list` names the list in its cursors, so
 * a cursor from another list (or another customer's list) is refused instead of misread.
 * Walking by `endCursor` costs one backend call per page: the last edge of a fully read backend
 * page points straight at the next backend page.
 */
export async function readConnection<T>(
  list: string,
  args: ConnectionArgs,
  fetchPage: (page: PageRequest) => Promise<Page<T>>,
): Promise<Connection<T>> {
  const first = pageSize(args.first);
  let position = args.after ? decodePosition(list, args.after) : { pageStart: null, skip: 0 };
  const edges: { node: T; position: Position }[] = [];
  let hasNextPage = false;
  for (let calls = 0; edges.length < first && calls < MAX_BACKEND_CALLS; calls++) {
    const wanted = first - edges.length;
    const page = await fetchPage({ first: position.skip + wanted, after: position.pageStart });
    const taken = page.items.slice(position.skip, position.skip + wanted);
    const start = position;
    taken.forEach((node, i) => edges.push({ node, position: { pageStart: start.pageStart, skip: start.skip + i + 1 } }));
    if (start.skip + taken.length < page.items.length) {
      hasNextPage = true;
      break;
    }
    if (page.nextCursor === null) {
      hasNextPage = false;
      break;
    }
    position = { pageStart: page.nextCursor, skip: 0 };
    const last = edges.at(-1);
    if (last && taken.length > 0) last.position = position;
    hasNextPage = true;
  }
  const connectionEdges = edges.map((edge) => ({ cursor: encodePosition(list, edge.position), node: edge.node }));
  return { edges: connectionEdges, pageInfo: { hasNextPage, endCursor: connectionEdges.at(-1)?.cursor ?? null } };
}

function pageSize(first: number): number {
  try {
    return checkPageSize(first);
  } catch (error) {
    if (error instanceof CursorError) throw badUserInput(error.message, 'first');
    throw error;
  }
}

function encodePosition(list: string, position: Position): string {
  return encodeCursor(list, `${position.skip}.${position.pageStart ?? ''}`);
}

function decodePosition(list: string, cursor: string): Position {
  let raw: string;
  try {
    raw = decodeCursor(list, cursor);
  } catch (error) {
    if (error instanceof CursorError) throw badUserInput(`"after": ${error.message}`, 'after');
    throw error;
  }
  const match = /^(\d{1,3})\.(.*)$/s.exec(raw);
  if (!match) throw badUserInput(`"after": cursor "${cursor}" is not a cursor of the ${list} list`, 'after');
  return { skip: Number(match[1]), pageStart: match[2] || null };
}
