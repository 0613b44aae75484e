import { isDeepStrictEqual } from 'node:util';
import type { Json } from './test-query';

/** Posts one GraphQL request and returns the parsed JSON answer, or throws with the reason. */
export async function postGraphQL(url: string, body: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`answer is not JSON: ${text.slice(0, 300)}`);
  }
}

/** Null when `actual` deep-equals `expected`, else the first differing path and both values. */
export function describeDifference(actual: unknown, expected: Json): string | null {
  if (isDeepStrictEqual(actual, expected)) return null;
  return firstDifference(actual, expected, '$');
}

function firstDifference(actual: unknown, expected: Json, path: string): string {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected a list, got ${preview(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} items, got ${actual.length}`;
    const index = expected.findIndex((item, i) => !isDeepStrictEqual(actual[i], item));
    return firstDifference(actual[index], expected[index] ?? null, `${path}[${index}]`);
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${path}: expected an object, got ${preview(actual)}`;
    }
    const record = actual as Record<string, unknown>; // a non-null, non-array object
    const keys = new Set([...Object.keys(expected), ...Object.keys(record)]);
    for (const key of keys) {
      if (!(key in expected)) return `${path}.${key}: unexpected, got ${preview(record[key])}`;
      if (!isDeepStrictEqual(record[key], expected[key])) {
        return firstDifference(record[key], expected[key] ?? null, `${path}.${key}`);
      }
    }
    return `${path}: differs`;
  }
  return `${path}: expected ${preview(expected)}, got ${preview(actual)}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
