import type { PushOutcome } from '../ports';

/** How long one push request may take before it counts as failed (the channel may be hanging). */
const REQUEST_TIMEOUT_MS = 5000;

/** A channel's answer to one request, read just enough to decide what happened. */
export type HttpAnswer = { ok: true; status: number; body: unknown } | { ok: false; outcome: Exclude<PushOutcome, { status: 'acknowledged' }> };

/**
 * POSTs JSON and sorts the answer: 2xx ok; 429 throttled (Retry-After in seconds, default 1 s);
 * 408, 5xx or no answer unavailable (retry); other 4xx rejected (an operator must look).
 */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const payload = JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    return { ok: false, outcome: { status: 'unavailable', reason: `POST ${url}: ${error instanceof Error ? error.message : String(error)}` } };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { ok: true, status: response.status, body: parseJson(text) };
  if (response.status === 429) return { ok: false, outcome: { status: 'throttled', retryAfterMs: retryAfterMs(response.headers.get('retry-after')) } };
  if (response.status === 408 || response.status >= 500) return { ok: false, outcome: { status: 'unavailable', reason: `POST ${url}: HTTP ${response.status} ${text.slice(0, 200)}` } };
  return { ok: false, outcome: { status: 'rejected', reason: `HTTP ${response.status} ${text.slice(0, 500)}`, payload } };
}

/** GETs JSON; null when the channel did not answer 2xx. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return parseJson(await response.text());
}

function retryAfterMs(header: string | null): number {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

/** Narrows parsed JSON to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
