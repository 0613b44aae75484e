import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import type { GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';

/** What one subscription received so far. */
export interface SubscriptionProbe {
  events: FormattedExecutionResult<Record<string, unknown>, Record<string, unknown>>[];
  /** Errors the subscription ended with (an `error` message), or the close event that ended it. */
  failure: readonly GraphQLFormattedError[] | { code: number; reason: string } | Error | null;
  completed: boolean;
  /** Resolves once `count` events arrived; rejects after `timeoutMs` with what did arrive. */
  waitForEvents(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once the subscription failed or completed. */
  waitForEnd(timeoutMs?: number): Promise<void>;
  unsubscribe(): void;
}

/** A graphql-ws client of the gateway with a bearer token in `connection_init`, no retries. */
export function gatewayClient(url: string, token: string | null): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and records every event, the error or completion. */
export function probe(client: Client, query: string, variables: Record<string, unknown> = {}): SubscriptionProbe {
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const wake of [...waiters]) wake();
  };
  const result: SubscriptionProbe = {
    events: [],
    failure: null,
    completed: false,
    waitForEvents: (count, timeoutMs = 5_000) =>
      until(() => result.events.length >= count, waiters, timeoutMs, () => `expected ${count} events, got ${result.events.length}: ${JSON.stringify(result.events)} failure: ${JSON.stringify(result.failure)}`),
    waitForEnd: (timeoutMs = 5_000) => until(() => result.completed || result.failure !== null, waiters, timeoutMs, () => 'the subscription did not end'),
    unsubscribe: () => unsubscribe(),
  };
  const unsubscribe = client.subscribe<Record<string, unknown>, Record<string, unknown>>(
    { query, variables },
    {
      next: (value) => {
        result.events.push(value);
        notify();
      },
      error: (error) => {
        result.failure = describeFailure(error);
        notify();
      },
      complete: () => {
        result.completed = true;
        notify();
      },
    },
  );
  return result;
}

function describeFailure(error: unknown): SubscriptionProbe['failure'] {
  if (Array.isArray(error)) return error as GraphQLFormattedError[]; // graphql-ws hands GraphQL errors as an array
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
    return { code: error.code, reason: 'reason' in error && typeof error.reason === 'string' ? error.reason : '' };
  }
  return new Error(String(error));
}

function until(done: () => boolean, waiters: Set<() => void>, timeoutMs: number, describe: () => string): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!done()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(describe()));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      waiters.delete(check);
    };
    waiters.add(check);
  });
}

/** Waits until `condition` holds, polling (for counters kept by subgraphs and the gateway). */
export async function eventually(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
