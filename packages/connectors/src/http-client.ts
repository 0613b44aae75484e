import { Pool } from 'undici';
import { BackendError, type BackendErrorKind } from './backend-error';
import { observedCall } from './call-observer';

/** How every connector is created. */
export interface ConnectorOptions {
  /** Where the backend listens, e.g. "http://127.0.0.1:4101". A path prefix is kept. */
  baseUrl: string;
  /** Per-request deadline, connect to last body byte. Default 2000 ms. */
  timeoutMs?: number;
  /** Keep-alive connections to the backend. Default 16. */
  connections?: number;
  /** Replaces the HTTP client, e.g. with one wrapped in a circuit breaker or cache. */
  transport?: JsonTransport;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  /** Path below the base URL, starting with "/". */
  path: string;
  query?: Readonly<Record<string, string | number | null | undefined>>;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
  /** Statuses returned as answers instead of thrown, e.g. 404 for a single-record lookup. */
  acceptStatus?: readonly number[];
  /**
   * The call only reads, so repeating it changes nothing: a resilient transport may retry it once.
   * Defaults to true for GET; a query sent by POST says so. Never set on a create, cancel or allocation.
   */
  safeToRetry?: boolean;
}

export interface JsonResponse {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: unknown;
}

/** The one door every backend call goes through; wrappers (breaker, cache) implement it too. */
export interface JsonTransport {
  readonly backend: string;
  request(request: JsonRequest): Promise<JsonResponse>;
  close(): Promise<void>;
}

export interface HttpClientOptions extends Omit<ConnectorOptions, 'transport'> {
  /** Name used in errors, e.g. "erp". */
  backend: string;
}

const DEFAULT_TIMEOUT_MS = 2_000;
const DEFAULT_CONNECTIONS = 16;
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/**
 * A small JSON client on an undici keep-alive pool. It does not retry: whether a call may be
 * repeated is the caller's decision (a posting must not be sent twice by accident).
 */
export class JsonHttpClient implements JsonTransport {
  readonly backend: string;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly timeoutMs: number;

  constructor(options: HttpClientOptions) {
    const url = new URL(options.baseUrl);
    this.backend = options.backend;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pool = new Pool(url.origin, { connections: options.connections ?? DEFAULT_CONNECTIONS });
  }

  /** One call, seen by the process's BackendCallObserver (metrics, traces) when one is set. */
  request(request: JsonRequest): Promise<JsonResponse> {
    return observedCall({ backend: this.backend, method: request.method, path: request.path }, (headers) => this.send(request, headers));
  }

  private async send(request: JsonRequest, extraHeaders: Readonly<Record<string, string>>): Promise<JsonResponse> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    // Not AbortSignal.timeout(): its timer outlives the call until it fires and then builds a
    // DOMException nobody reads, per call; under load, thousands of live timers. This one is cleared.
    const deadline = new AbortController();
    // Unref'd as AbortSignal.timeout()'s is: a call in flight does not by itself keep the process alive.
    const timer = setTimeout(() => deadline.abort(new DOMException(`${request.method} ${request.path}: no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs).unref();
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    const path = this.basePath + request.path + queryString(request.query);
    const what = `${request.method} ${request.path}`;
    let status: number;
    let headers: JsonResponse['headers'];
    let text: string;
    try {
      const response = await this.pool.request({
        method: request.method,
        path,
        signal,
        headers: request.body === undefined ? { ...extraHeaders, accept: 'application/json' } : { ...extraHeaders, accept: 'application/json', 'content-type': 'application/json' },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      status = response.statusCode;
      headers = response.headers;
      text = await response.body.text();
    } catch (error) {
      // The caller gave up (e.g. the GraphQL request was cancelled): not the backend's fault.
      if (request.signal?.aborted) throw request.signal.reason instanceof Error ? request.signal.reason : error;
      if (deadline.signal.aborted) throw this.error('timeout', `${what} timed out after ${timeoutMs} ms`, undefined, error);
      throw this.networkError(error, what);
    } finally {
      clearTimeout(timer);
    }
    const accepted = request.acceptStatus?.includes(status) ?? false;
    if (!accepted && status >= 500) throw this.error('server-error', `${what} answered HTTP ${status}: ${snippet(text)}`, status);
    if (!accepted && status >= 400) throw this.error('client-error', `${what} answered HTTP ${status}: ${snippet(text)}`, status);
    if (!accepted && (status < 200 || status >= 300)) throw this.error('bad-response', `${what} answered unexpected HTTP ${status}`, status);
    let body: unknown;
    try {
      body = this.parse(text, what, status);
    } catch (error) {
      // An accepted 4xx is a refusal even when its body is not JSON (a proxy's HTML page, say).
      if (status >= 400 && status < 500) throw this.error('client-error', `${what} answered HTTP ${status}: ${snippet(text)}`, status, error);
      throw error;
    }
    return { status, headers, body };
  }

  get(path: string, query?: JsonRequest['query'], init?: Partial<JsonRequest>): Promise<JsonResponse> {
    return this.request({ ...init, method: 'GET', path, query });
  }

  post(path: string, body: unknown, init?: Partial<JsonRequest>): Promise<JsonResponse> {
    return this.request({ ...init, method: 'POST', path, body });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private parse(text: string, what: string, status: number): unknown {
    if (text === '') return null;
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed;
    } catch (error) {
      throw this.error('bad-response', `${what} answered HTTP ${status} with a body that is not JSON: ${snippet(text)}`, status, error);
    }
  }

  private networkError(error: unknown, what: string): BackendError {
    const code = errorCode(error);
    const detail = `${what} failed: ${code ?? (error instanceof Error ? error.message : String(error))}`;
    if (code !== undefined && RESET_CODES.has(code)) return this.error('reset', `${detail} (connection reset)`, undefined, error);
    if (code !== undefined && TIMEOUT_CODES.has(code)) return this.error('timeout', detail, undefined, error);
    if (code !== undefined && UNAVAILABLE_CODES.has(code)) return this.error('unavailable', `${detail} (not reachable)`, undefined, error);
    return this.error('unavailable', detail, undefined, error);
  }

  private error(kind: BackendErrorKind, message: string, status?: number, cause?: unknown): BackendError {
    return new BackendError({ backend: this.backend, kind, message, status, cause });
  }
}

/** The most specific system or undici error code in the error and its causes. */
function errorCode(error: unknown): string | undefined {
  let found: string | undefined;
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (typeof current !== 'object') break;
    if ('code' in current && typeof current.code === 'string') found = current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return found;
}

function queryString(query: JsonRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function snippet(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
