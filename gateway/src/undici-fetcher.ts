import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
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
 * per subgraph call; this module has no other dependency so it could be offered upstream as is.
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
    const response = await request(url, {
      method: (init.method ?? 'GET') as 'GET' | 'POST', // Fetcher types the method as any string
      headers: init.headers ?? {},
      body: init.body ?? null,
      dispatcher: agent,
      signal: init.signal instanceof AbortSignal ? init.signal : AbortSignal.timeout(timeoutMs),
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    return new BufferedResponse(url, response.statusCode, headers, body);
  };
  return { fetcher, close: () => agent.close() };
}

/** A fully read response: subgraph answers are small JSON documents, read once. */
class BufferedResponse implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;
  readonly statusText: string;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    private readonly body: Buffer,
  ) {
    this.statusText = String(status);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const copy = new ArrayBuffer(this.body.length);
    new Uint8Array(copy).set(this.body);
    return copy;
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, this.headers, this.body);
  }
}
