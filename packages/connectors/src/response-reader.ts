import { money, toIsoUtc, type Money } from '@crossdock/model';
import { BackendError } from './backend-error';

export type JsonObject = Record<string, unknown>;

/**
 * Statuses a write call takes as an answer rather than an error, so the connector can read the
 * backend's refusal (its code and words) from the body instead of a truncated snippet.
 */
export const REFUSAL_STATUSES: readonly number[] = Array.from({ length: 100 }, (_, i) => 400 + i);

/** Narrows parsed JSON to an object, for reading error bodies that may be anything. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a backend's JSON field by field. Anything missing, mistyped or outside the known
 * vocabulary throws BackendError 'bad-response' naming the field and value: a connector never
 * guesses what the backend meant.
 */
export class ResponseReader {
  constructor(readonly backend: string) {}

  fail(message: string, cause?: unknown): never {
    throw new BackendError({ backend: this.backend, kind: 'bad-response', message, cause });
  }

  /**
   * A business refusal (HTTP 4xx) as a 'client-error' whose message keeps the backend's code and
   * text: the order pipeline shows it to operators as is.
   */
  refused(what: string, status: number, code: string | undefined, message: string): never {
    const label = code === undefined ? `HTTP ${status}` : `HTTP ${status} ${code}`;
    throw new BackendError({ backend: this.backend, kind: 'client-error', status, code, message: `${what} refused (${label}): ${message}` });
  }

  object(value: unknown, what: string): JsonObject {
    return isObject(value) ? value : this.fail(`${what} is not an object`);
  }

  /** A list of objects under `key`. */
  objects(parent: JsonObject, key: string, what: string): JsonObject[] {
    const value = parent[key];
    if (!Array.isArray(value)) return this.fail(`${what}.${key} is not a list`);
    return value.map((item, i) => this.object(item, `${what}.${key}[${i}]`));
  }

  string(parent: JsonObject, key: string, what: string): string {
    const value = parent[key];
    return typeof value === 'string' ? value : this.fail(`${what}.${key} is not a string: ${JSON.stringify(value)}`);
  }

  nullableString(parent: JsonObject, key: string, what: string): string | null {
    const value = parent[key];
    if (value === null || value === undefined) return null;
    return typeof value === 'string' ? value : this.fail(`${what}.${key} is not a string: ${JSON.stringify(value)}`);
  }

  integer(parent: JsonObject, key: string, what: string): number {
    const value = parent[key];
    return typeof value === 'number' && Number.isSafeInteger(value) ? value : this.fail(`${what}.${key} is not an integer: ${JSON.stringify(value)}`);
  }

  nullableInteger(parent: JsonObject, key: string, what: string): number | null {
    const value = parent[key];
    if (value === null || value === undefined) return null;
    return typeof value === 'number' && Number.isSafeInteger(value) ? value : this.fail(`${what}.${key} is not an integer: ${JSON.stringify(value)}`);
  }

  boolean(parent: JsonObject, key: string, what: string): boolean {
    const value = parent[key];
    return typeof value === 'boolean' ? value : this.fail(`${what}.${key} is not a boolean: ${JSON.stringify(value)}`);
  }

  /** Translates a backend code through a table; an unknown code is an error, never a default. */
  mapped<T>(table: Readonly<Record<string, T>>, value: string, what: string): T {
    return Object.hasOwn(table, value) ? (table[value] ?? this.fail(`${what} "${value}" maps to nothing`)) : this.fail(`unknown ${what} "${value}"`);
  }

  /** A time the backend wrote, as canonical UTC ISO-8601. */
  time(value: string | number, what: string): string {
    try {
      return toIsoUtc(value);
    } catch (error) {
      return this.fail(`${what} is not a valid time: ${JSON.stringify(value)}`, error);
    }
  }

  /** A decimal amount and currency, normalised by the model's money helpers. */
  moneyOf(amount: string, currency: string, what: string): Money {
    try {
      return money(amount, currency);
    } catch (error) {
      return this.fail(`${what} is not a decimal amount: ${JSON.stringify(amount)}`, error);
    }
  }
}
