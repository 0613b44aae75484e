import { STATUS_CODES } from 'node:http';
import { types } from 'node:util';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent, request } from 'undici';

export interface UndiciFetcherOptions {
  /** Sockets kept per subgraph origin. */
  connections?: number;
  /** Whole-request timeout towards a subgraph, in ms. */
  timeoutMs?: number;
}

/**
 * A Fetcher for @apollo/gateway on undici's `request`, with a keep-alive pool per origin. The
 * gateway's default fetch stack (make-fetch-happen over node-fetch) costs noticeably more CPU
 * per subgraph call. What a client can see stays the same: a connection failure is worded as
 * node-fetch words it, and `statusText` is the status' reason phrase. This module has no other
 * dependency so it could be offered upstream as is.
 */
export function createUndiciFetcher(options: UndiciFetcherOptions = {}): { fetcher: Fetcher; close(): Promise<void> } {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = new Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const fetcher: Fetcher = async (url: string, init: FetcherRequestInit = {}) => {
    // The caller's signal, or a deadline of our own. Not AbortSignal.timeout(): its timer stays
    // until it fires, long after the answer, and then builds a DOMException nobody reads; under
    // load that is thousands of live timers and an exception per fetch. This one is cleared.
    const callerSignal = init.signal instanceof AbortSignal ? init.signal : null;
    const deadline = callerSignal ? null : new AbortController();
    // Unref'd as AbortSignal.timeout()'s is: a call in flight does not by itself keep the process alive.
    const timer = deadline ? setTimeout(() => deadline.abort(new DOMException(`no answer from ${url} within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs).unref() : undefined;
    try {
      const response = await request(url, {
        method: (init.method ?? 'GET') as 'GET' | 'POST', // Fetcher types the method as any string
        headers: init.headers ?? {},
        body: init.body ?? null,
        dispatcher: agent,
        signal: callerSignal ?? deadline?.signal,
      });
      // Subgraph answers are small JSON documents: read once, as text, which is what json() parses.
      const body = await response.body.text();
      return new BufferedResponse(url, response.statusCode, new ReceivedHeaders(response.headers), body);
    } catch (error) {
      throw asFetchError(url, error);
    } finally {
      clearTimeout(timer);
    }
  };
  return { fetcher, close: () => agent.close() };
}

/**
 * node-fetch's wording of a failed request ("request to <url> failed, reason: <cause>"), which
 * stock @apollo/gateway passes on to clients; aborts and timeouts keep their own error.
 */
function asFetchError(url: string, error: unknown): unknown {
  // isNativeError: socket errors may come from another realm than this module's Error (test runners).
  if (!types.isNativeError(error) || error.name === 'AbortError' || error.name === 'TimeoutError') return error;
  if (!('code' in error) || typeof error.code !== 'string' || !/^E[A-Z]+$/.test(error.code)) return error;
  const wrapped = new Error(`request to ${url} failed, reason: ${error.message}`, { cause: error });
  wrapped.name = 'FetchError';
  return Object.assign(wrapped, { code: error.code, errno: error.code, type: 'system' });
}

/** Response headers as undici hands them over (lower-case names), behind the Fetcher's Headers interface. */
class ReceivedHeaders implements FetcherHeaders {
  private readonly byName = new Map<string, string>();

  constructor(raw: Record<string, string | string[] | undefined>) {
    for (const name in raw) {
      const value = raw[name];
      if (value !== undefined) this.byName.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }

  get(name: string): string | null {
    return this.byName.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.byName.set(name.toLowerCase(), value);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const present = this.byName.get(key);
    this.byName.set(key, present === undefined ? value : `${present}, ${value}`);
  }

  delete(name: string): void {
    this.byName.delete(name.toLowerCase());
  }

  entries(): IterableIterator<[string, string]> {
    return this.byName.entries();
  }

  keys(): IterableIterator<string> {
    return this.byName.keys();
  }

  values(): IterableIterator<string> {
    return this.byName.values();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.byName.entries();
  }
}

/** A fully read response: subgraph answers are small JSON documents, read once. */
class BufferedResponse implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;
  readonly statusText: string;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: FetcherHeaders,
    private readonly body: string,
  ) {
    this.statusText = STATUS_CODES[status] ?? '';
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const bytes = Buffer.from(this.body, 'utf8');
    const copy = new ArrayBuffer(bytes.length);
    new Uint8Array(copy).set(bytes);
    return copy;
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, this.headers, this.body);
  }
}
