import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { InflightCoalescer } from './inflight-coalescer';

/** Headers that differ per fetch without changing what the subgraph answers (W3C trace context). */
export const TRACE_CONTEXT_HEADERS: ReadonlySet<string> = new Set(['traceparent', 'tracestate', 'baggage']);

export interface DeduplicatingFetcherOptions {
  /**
   * More headers that differ per fetch without changing the answer, besides the trace context;
   * fetches differing only in them are shared.
   */
  perFetchHeaders?: readonly string[];
}

/** A fetcher, and how many of its calls shared another's. */
export interface DeduplicatingFetcher {
  fetcher: Fetcher;
  coalescer: InflightCoalescer<FetcherResponse>;
}

/**
 * Wraps a Fetcher so that identical subgraph queries in flight at the same time go out once:
 * same URL, same body, same headers (trace context aside, so the identity header decides whose
 * data it is). Each caller gets its own clone of the one response, and parses it itself: the
 * gateway's executor merges into what it parsed, so parsed objects are never shared. Only
 * POSTed queries are shared; a mutation, or a body that is not a plain GraphQL query document,
 * always goes out on its own. No dependency but the Fetcher types: it could go upstream as is.
 */
export function deduplicatingFetcher(inner: Fetcher, options: DeduplicatingFetcherOptions = {}): DeduplicatingFetcher {
  const coalescer = new InflightCoalescer<FetcherResponse>();
  const ignored = new Set([...TRACE_CONTEXT_HEADERS, ...(options.perFetchHeaders ?? [])].map((name) => name.toLowerCase()));
  const fetcher: Fetcher = async (url, init = {}) => {
    const key = fetchKey(url, init, ignored);
    if (key === null) return inner(url, init);
    const shared = await coalescer.run(key, () => inner(url, init));
    return shared.clone();
  };
  return { fetcher, coalescer };
}

/** The key of a fetch that may be shared, or null. */
function fetchKey(url: string, init: FetcherRequestInit, ignored: ReadonlySet<string>): string | null {
  const key = queryFetchKey(url, init, ignored);
  return key === null ? null : `${key}\u0000${init.body}`;
}

/** No header left out of a key (queryFetchKey's default, one set for every fetch). */
const NO_HEADERS: ReadonlySet<string> = new Set();

/**
 * What a fetch that may go out with others is keyed by (this module and batching-fetcher.ts): its
 * URL and headers (names lower-cased, sorted), leaving out `ignored`. Null for anything but a
 * POSTed query without an abort signal of its own (a caller's abort must not cancel others).
 */
export function queryFetchKey(url: string, init: FetcherRequestInit, ignored: ReadonlySet<string> = NO_HEADERS): string | null {
  if (init.method !== 'POST' || typeof init.body !== 'string' || !isQueryBody(init.body)) return null;
  if (init.signal !== undefined && init.signal !== null) return null;
  const headers = Object.entries(init.headers ?? {})
    .filter(([name]) => !ignored.has(name.toLowerCase()))
    .map(([name, value]) => `${name.toLowerCase()}:${value}`)
    .sort();
  return `${url}\u0000${headers.join('\u0000')}`;
}

/**
 * The gateway posts `{"query":"<operation>", …}`; a query operation starts with `query` or `{`
 * (after any whitespace and comments, which the query planner never writes).
 */
function isQueryBody(body: string): boolean {
  const prefix = '{"query":"';
  if (!body.startsWith(prefix)) return false;
  const first = body.charAt(prefix.length);
  return first === '{' || body.startsWith('query', prefix.length);
}
