import WebSocket from 'ws';

/** The graphql-ws protocol name (graphql-transport-ws). */
export const GRAPHQL_WS_PROTOCOL = 'graphql-transport-ws';

/** One `next` payload as the server sent it. */
export interface NextPayload<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { cursor?: string } & Record<string, unknown>;
}

/** The end of a subscription: `complete`, or an `error` message with its errors. */
export type SubscriptionEnd = { kind: 'complete' } | { kind: 'error'; errors: { message: string; extensions?: Record<string, unknown> }[] } | { kind: 'closed'; code: number };

export interface TestSubscription<T = Record<string, unknown>> {
  /** Every `next` payload so far, in arrival order. */
  readonly received: NextPayload<T>[];
  /** Resolves once at least `count` payloads arrived (all of them), rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<NextPayload<T>[]>;
  /** Resolves when the server ends the subscription. */
  readonly ended: Promise<SubscriptionEnd>;
  /** Sends `complete`: the client stops listening. */
  complete(): void;
}

export interface TestSubscriptionConnection {
  subscribe<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): TestSubscription<T>;
  /** Resolves with the close code when the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/**
 * A plain graphql-ws (graphql-transport-ws) client for tests: opens the socket, sends
 * `connection_init` with `payload`, waits for `connection_ack`, and records every message of
 * each subscription. Rejects with the close code when the server refuses the connection.
 */
export function connectSubscriptions(url: string, payload: Record<string, unknown> = {}): Promise<TestSubscriptionConnection> {
  const socket = new WebSocket(url, GRAPHQL_WS_PROTOCOL, { perMessageDeflate: false });
  const handlers = new Map<string, (message: { type: string; payload?: unknown }) => void>();
  const endings: ((end: SubscriptionEnd) => void)[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      for (const end of endings.splice(0)) end({ kind: 'closed', code });
      resolve({ code, reason: reason.toString('utf8') });
    });
  });
  let ids = 0;
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    void closed.then(({ code, reason }) => reject(new Error(`connection closed before ack: ${code} ${reason}`)));
    socket.on('message', (raw: WebSocket.RawData) => {
      const message = parseMessage(raw.toString());
      if (message.type === 'connection_ack') {
        resolve({ subscribe, closed, close });
        return;
      }
      if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      if (typeof message.id === 'string') handlers.get(message.id)?.(message);
    });
  });

  function subscribe<T>(query: string, variables: Record<string, unknown> = {}): TestSubscription<T> {
    ids += 1;
    const id = String(ids);
    const received: NextPayload<T>[] = [];
    const waiters = new Set<() => void>();
    let settle: (end: SubscriptionEnd) => void = () => undefined;
    const ended = new Promise<SubscriptionEnd>((resolve) => {
      settle = resolve;
    });
    endings.push(settle);
    handlers.set(id, (message) => {
      if (message.type === 'next') received.push(nextPayload<T>(message.payload));
      else if (message.type === 'error') settle({ kind: 'error', errors: errorList(message.payload) });
      else if (message.type === 'complete') settle({ kind: 'complete' });
      for (const wake of [...waiters]) wake();
    });
    void ended.then(() => {
      for (const wake of [...waiters]) wake();
    });
    socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    let done = false;
    void ended.then(() => {
      done = true;
    });
    return {
      received,
      ended,
      complete: () => {
        handlers.delete(id);
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id, type: 'complete' }));
      },
      waitFor: (count, timeoutMs = 15_000) =>
        new Promise((resolveWait, rejectWait) => {
          const check = () => {
            if (received.length >= count) {
              clearTimeout(timer);
              waiters.delete(check);
              resolveWait([...received]);
            } else if (done) {
              clearTimeout(timer);
              waiters.delete(check);
              void ended.then((end) => rejectWait(new Error(`subscription ended (${JSON.stringify(end)}) after ${received.length} of ${count} events`)));
            }
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            rejectWait(new Error(`only ${received.length} of ${count} events arrived within ${timeoutMs} ms: ${JSON.stringify(received)}`));
          }, timeoutMs);
          waiters.add(check);
          check();
        }),
    };
  }

  async function close(): Promise<void> {
    if (socket.readyState === WebSocket.CLOSED) return;
    socket.close(1000, 'done');
    await closed;
  }
}

function parseMessage(text: string): { type: string; id?: string; payload?: unknown } {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || !('type' in value) || typeof value.type !== 'string') throw new Error(`not a graphql-ws message: ${text}`);
  const id = 'id' in value && typeof value.id === 'string' ? value.id : undefined;
  return { type: value.type, ...(id === undefined ? {} : { id }), payload: 'payload' in value ? value.payload : undefined };
}

function nextPayload<T>(payload: unknown): NextPayload<T> {
  return typeof payload === 'object' && payload !== null ? (payload as NextPayload<T>) : {}; // the server's JSON, read by tests
}

function errorList(payload: unknown): { message: string; extensions?: Record<string, unknown> }[] {
  return Array.isArray(payload) ? payload.map((e) => (typeof e === 'object' && e !== null ? (e as { message: string; extensions?: Record<string, unknown> }) : { message: String(e) })) : []; // the server's JSON, read by tests
}
