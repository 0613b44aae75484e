import { checkPageSize, CursorError, decodeCursor, encodeCursor, type Page, type PageRequest } from '@crossdock/model';
import { GraphQLError } from 'graphql';

/** A Relay connection in the model's terms; the generated resolver types accept it as is. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Where a list resumes: the backend page that holds the next item, and how many items of that
 * page come before it. The backend hands out one continuation per page, but Relay wants a
 * cursor on every edge; carrying the offset lets a client resume after ANY edge.
 */
interface Position {
  after: string | null;
  skip: number;
}

const POSITION = /^(\d+):(.*)$/s;

function encodePosition(list: string, position: Position): string {
  return encodeCursor(list, `${position.skip}:${position.after ?? ''}`);
}

function decodePosition(list: string, cursor: string): Position {
  const match = POSITION.exec(decodeCursor(list, cursor));
  if (!match?.[1] || match[2] === undefined) throw new CursorError(`cursor "${cursor}" is not a ${list} cursor`);
  return { skip: Number(match[1]), after: match[2] === '' ? null : match[2] };
}

/** A bad `first` or cursor is the client's mistake, whether we or the connector noticed it. */
async function asUserInput<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CursorError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    throw error;
  }
}

/**
 * Serves `first` items after `after` from a backend's paged list. When the backend caps its page
 * below `first`, the next backend page is read too, so a client gets full pages.
 */
export async function connectionOf<T>(
  list: string,
  args: { first: number; after?: string | null },
  fetchPage: (page: PageRequest) => Promise<Page<T>>,
): Promise<Connection<T>> {
  const { first } = args;
  let position = await asUserInput((): Position => {
    checkPageSize(first);
    return args.after === null || args.after === undefined ? { after: null, skip: 0 } : decodePosition(list, args.after);
  });
  const edges: Connection<T>['edges'] = [];
  for (;;) {
    const wanted = first - edges.length;
    const request = { first: position.skip + wanted, after: position.after };
    const page = await asUserInput(() => fetchPage(request));
    const taken = page.items.slice(position.skip, position.skip + wanted);
    taken.forEach((node, i) => {
      const skip = position.skip + i + 1;
      // The last item of a page resumes at the next page, so cursors stay short and stable.
      const next = skip === page.items.length && page.nextCursor !== null ? { after: page.nextCursor, skip: 0 } : { after: position.after, skip };
      edges.push({ node, cursor: encodePosition(list, next) });
    });
    const pageExhausted = position.skip + taken.length >= page.items.length;
    if (!pageExhausted) return finish(edges, true, encodePosition(list, { after: position.after, skip: position.skip + taken.length }));
    if (page.nextCursor === null) return finish(edges, false, null);
    position = { after: page.nextCursor, skip: 0 };
    // An empty page with a continuation is legal; stop here rather than spin on a backend, and
    // resume past it, so the client is not sent back to the same empty page.
    if (edges.length === first || page.items.length === 0) return finish(edges, true, encodePosition(list, position));
  }
}

/** Usually `resume` is the last edge's own cursor; it differs only after an empty backend page. */
function finish<T>(edges: Connection<T>['edges'], hasNextPage: boolean, resume: string | null): Connection<T> {
  const endCursor = hasNextPage ? resume : (edges.at(-1)?.cursor ?? null);
  return { edges, pageInfo: { hasNextPage, endCursor } };
}
