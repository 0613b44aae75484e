/**
 * Just enough HTTP framework for the simulators: a path router with `:param` segments and a
 * typed error. No dependency, because these servers sit under benchmarks and must stay cheap.
 */

export type Method = 'GET' | 'POST';

/** A failure the handler wants the client to see; the simulator renders it in its own style. */
export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Readonly<Record<string, string>>;
  /** Parsed JSON body of a POST; undefined otherwise. */
  body: unknown;
  /** The Host header, for absolute links such as a `Link: rel="next"`. */
  host: string;
}

export interface SimReply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: SimRequest) => SimReply | Promise<SimReply>;

interface CompiledRoute {
  method: Method;
  pattern: string;
  segments: string[];
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; pattern: string; handler: Handler; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: Method[] }
  | { kind: 'none' };

/** Routes by method and path; unknown paths and wrong methods are told apart (404 vs 405). */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  /** Registers a route; `pattern` segments starting with ":" capture a parameter. */
  on(method: Method, pattern: string, handler: Handler): this {
    this.routes.push({ method, pattern, segments: pattern.split('/'), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const segments = path.split('/');
    const allowed: Method[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', pattern: route.pattern, handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const expected = pattern[i] ?? '';
    const value = actual[i] ?? '';
    if (expected.startsWith(':')) {
      if (value === '') return null;
      params[expected.slice(1)] = decodeURIComponent(value);
    } else if (expected !== value) {
      return null;
    }
  }
  return params;
}

/** Narrows parsed JSON to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A comma-separated list parameter (`ids=A,B`). Empty items are dropped; more than `max` is the
 * client's mistake, answered with 400 like the real systems do.
 */
export function listParam(query: URLSearchParams, name: string, max: number): string[] | null {
  const raw = query.get(name);
  if (raw === null) return null;
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new HttpError(400, 'invalid_parameter', `"${name}" must list at least one value`);
  if (items.length > max) throw new HttpError(400, 'too_many_values', `"${name}" accepts at most ${max} values, got ${items.length}`);
  return items;
}

/** An integer query parameter within [min, max], or the fallback when absent. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new HttpError(400, 'invalid_parameter', `"${name}" must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** A JSON body field that must be a list of at most `max` strings. */
export function stringListField(body: unknown, name: string, max: number): string[] | null {
  if (!isRecord(body)) throw new HttpError(400, 'invalid_body', 'the body must be a JSON object');
  const value = body[name];
  if (value === undefined) return null;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new HttpError(400, 'invalid_body', `"${name}" must be a list of strings`);
  }
  if (value.length > max) throw new HttpError(400, 'too_many_values', `"${name}" accepts at most ${max} values, got ${value.length}`);
  return value;
}

/**
 * Formats an instant as ISO-8601 local time at a fixed offset such as "-05:00". Milliseconds are
 * printed only when there are any, so a time a client sent with them reads back unchanged.
 */
export function isoWithOffset(epochMs: number, utcOffset: string): string {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  if (!match) throw new RangeError(`bad UTC offset "${utcOffset}"`);
  const sign = match[1] === '-' ? -1 : 1;
  const offsetMs = sign * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
  const local = new Date(epochMs + offsetMs).toISOString().slice(0, epochMs % 1000 === 0 ? 19 : 23);
  return `${local}${utcOffset}`;
}

/** Integer cents as a decimal string ("1234.50"), without a float in between. */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${(abs % 100).toString().padStart(2, '0')}`;
}
