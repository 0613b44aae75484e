import { STATUS_CODES } from 'node:http';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { queryFetchKey, TRACE_CONTEXT_HEADERS } from './coalescing/deduplicating-fetcher';

export interface BatchingFetcherOptions {
  /**
   * A fetch is batched only when it carries this header (any value): the gateway sets one per
   * client query, and queries only, so fetches of different callers or client requests never
   * share a batch (their headers differ) and no mutation is ever batched.
   */
  batchHeader: string;
  /**
   * How long a subgraph that refused a batch gets its fetches one by one before a batch is tried
   * again (default 5 minutes): a refusal may have been passing (a restart, a 413 on one large
   * batch), and a subgraph may be redeployed with batching turned on.
   */
  unbatchedForMs?: number;
  /** The clock, in epoch ms (tests). */
  now?: () => number;
}

/** {@link BatchingFetcherOptions.unbatchedForMs}'s default. */
export const DEFAULT_UNBATCHED_FOR_MS = 5 * 60_000;

/**
 * Wraps a Fetcher so that the query fetches a plan step sends to one subgraph at the same time go
 * out as one HTTP request, a JSON array of operations (Apollo Server's batched HTTP requests,
 * `allowBatchedHttpRequests`), and each fetch gets its own element of the answer. Fetches are
 * joined when they are made in the same turn of the event loop, to the same URL, with the same
 * headers (the trace context aside), carry `batchHeader` and post a query; anything else goes out
 * on its own, as does a fetch with an abort signal of its own (it must not cancel the others).
 *
 * A subgraph that does not take batches answers one with something other than a 2xx JSON array
 * of one answer per operation: each fetch of that batch is then sent again on its own, and when
 * one of those succeeds the subgraph's URL gets every later fetch on its own too, for
 * `unbatchedForMs`; then a batch is tried again. A batch that fails to arrive (connection
 * refused, timeout) fails every fetch in it.
 * No dependency but the Fetcher types: it could go upstream as is.
 */
export function batchingFetcher(inner: Fetcher, options: BatchingFetcherOptions): Fetcher {
  const batchHeader = options.batchHeader.toLowerCase();
  const unbatchedForMs = options.unbatchedForMs ?? DEFAULT_UNBATCHED_FOR_MS;
  const now = options.now ?? Date.now;
  const forming = new Map<string, Batch>();
  /** URLs whose subgraph refused a batch and answered its fetches one by one, with when to try a batch again. */
  const unbatchedUntil = new Map<string, number>();
  const unbatched = (url: string): boolean => {
    const until = unbatchedUntil.get(url);
    if (until === undefined) return false;
    if (now() < until) return true;
    unbatchedUntil.delete(url);
    return false;
  };
  // Alone, a fetch goes with its own request (its own trace context).
  const one = (batch: Batch, fetch: PendingFetch): Promise<FetcherResponse> => inner(batch.url, fetch.init);
  const eachAlone = async (batch: Batch): Promise<void> => {
    const answers = await Promise.allSettled(batch.fetches.map((fetch) => one(batch, fetch)));
    if (answers.some((answer) => answer.status === 'fulfilled' && answer.value.ok)) unbatchedUntil.set(batch.url, now() + unbatchedForMs);
    answers.forEach((answer, i) => {
      const fetch = batch.fetches[i]!;
      if (answer.status === 'fulfilled') fetch.resolve(answer.value);
      else fetch.reject(answer.reason);
    });
  };
  const send = async (batch: Batch): Promise<void> => {
    forming.delete(batch.key);
    const [only] = batch.fetches;
    if (batch.fetches.length === 1 && only) return one(batch, only).then(only.resolve, only.reject);
    if (unbatched(batch.url)) return eachAlone(batch);
    let whole: FetcherResponse;
    let text: string;
    try {
      whole = await inner(batch.url, { ...batch.init, body: `[${batch.fetches.map((fetch) => fetch.body).join(',')}]` });
      text = await whole.text();
    } catch (error) {
      for (const fetch of batch.fetches) fetch.reject(error);
      return;
    }
    const answers = whole.ok ? parsedArray(text, batch.fetches.length) : null;
    if (!answers) return eachAlone(batch);
    batch.fetches.forEach((fetch, i) => fetch.resolve(new PartResponse(whole, answers[i])));
  };
  return (url, init = {}) => {
    if (unbatched(url)) return inner(url, init);
    const key = batchKey(url, init, batchHeader);
    if (key === null || typeof init.body !== 'string') return inner(url, init);
    const body = init.body;
    return new Promise<FetcherResponse>((resolve, reject) => {
      let batch = forming.get(key);
      if (!batch) {
        const started: Batch = { key, url, init, fetches: [] };
        forming.set(key, started);
        // Nothing in send() should throw, but if it did, no fetch of the batch may wait for ever.
        setImmediate(() => send(started).catch((error: unknown) => started.fetches.forEach((fetch) => fetch.reject(error))));
        batch = started;
      }
      batch.fetches.push({ body, init, resolve, reject });
    });
  };
}

interface PendingFetch {
  body: string;
  /** The fetch's own request, for when it is sent alone. */
  init: FetcherRequestInit;
  resolve: (response: FetcherResponse) => void;
  reject: (error: unknown) => void;
}

interface Batch {
  key: string;
  url: string;
  /** The first fetch's request; every fetch of the batch has the same URL, method and headers. */
  init: FetcherRequestInit;
  fetches: PendingFetch[];
}

function parsedArray(text: string, length: number): unknown[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.length === length ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The fetch's share of a batch's answer: the batch's status and headers, its own element of the
 * body. Like a fetch Response, its body can be read once; a clone made before that has its own copy.
 */
class PartResponse implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly headers: FetcherHeaders;

  constructor(
    whole: FetcherResponse,
    /** This fetch's element of the answer, already parsed; handed out once (the executor changes it). */
    private readonly parsed: unknown,
  ) {
    this.url = whole.url;
    this.status = whole.status;
    this.statusText = whole.statusText || (STATUS_CODES[whole.status] ?? '');
    this.headers = whole.headers;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.use();
    return JSON.stringify(this.parsed);
  }

  async json(): Promise<unknown> {
    this.use();
    return this.parsed;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(await this.text(), 'utf8');
    const copy = new ArrayBuffer(bytes.length);
    new Uint8Array(copy).set(bytes);
    return copy;
  }

  clone(): FetcherResponse {
    if (this.bodyUsed) throw new TypeError('Response.clone: body has already been consumed');
    return new PartResponse(this, structuredClone(this.parsed));
  }

  private use(): void {
    if (this.bodyUsed) throw new TypeError('Response: body has already been consumed');
    this.bodyUsed = true;
  }
}

/**
 * The key of a fetch that may join a batch (a query carrying `batchHeader`), or null. The W3C
 * trace context is left out: with tracing on, every fetch has a span and so a `traceparent` of its
 * own, and a key with it would batch nothing. A batch travels with its first fetch's trace
 * context, so the subgraph's spans of all its operations hang under that fetch's span.
 */
function batchKey(url: string, init: FetcherRequestInit, batchHeader: string): string | null {
  if (!Object.keys(init.headers ?? {}).some((name) => name.toLowerCase() === batchHeader)) return null;
  return queryFetchKey(url, init, TRACE_CONTEXT_HEADERS);
}
