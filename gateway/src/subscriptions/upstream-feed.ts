import type { Logger } from '@crossdock/service';
import type { Client } from 'graphql-ws';
import type { UpstreamEvent } from './event-resolution';
import { comesAfter } from './stream-cursor';
import { RESUME_VARIABLE } from './subscription-planner';

/** Receives a feed's events, in stream order, and its end. */
export interface FeedListener {
  event(event: UpstreamEvent, cursor: string | null): void;
  /** Whether the listener is keeping up (not behind by as much as makes a feed resume). */
  readonly keepingUp: boolean;
  /** The subgraph refused the subscription (or it cannot go on): no more events will come. */
  fail(errors: readonly { message: string; extensions?: Record<string, unknown> }[]): void;
}

export interface UpstreamFeedOptions {
  client: () => Client;
  query: string;
  /** The upstream operation's variables, without the resume variable. */
  variables: Record<string, unknown>;
  /** Whether the root field takes `after`; when it does, a reconnect resumes at the last cursor. */
  resumable: boolean;
  /** The client's own `after`: where the feed starts. */
  startAfter: string | null;
  logger: Logger;
  /** Called whenever the feed (re)subscribes upstream, for statistics and tests. */
  onSubscribe?: () => void;
}

/** First retry delay after the upstream went away, doubled up to the maximum. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * One upstream subscription, shared by every group of subscribers that plans to the same
 * (subgraph, root field, arguments, scope). When the subgraph goes away (restart, crash, network)
 * it subscribes again with `after` set to the last cursor it passed on, so nothing is missed; an
 * event whose cursor is not past that one is a repeat and is dropped. Upstream `complete` is
 * treated the same way: the contract's event streams do not end, so a complete means the
 * subgraph replica is shutting down, not that the subscription is over.
 *
 * Flow control: a listener that cannot keep up (its events wait unresolved or undelivered) says
 * so with `backpressure`. While any listener is full, a resumable feed stops its upstream
 * subscription; once every listener has drained it subscribes again after the last cursor it
 * passed on, so the stream, not this process' memory, holds what is waiting, and nothing is
 * missed or repeated. A feed whose root field takes no cursor cannot resume and keeps flowing.
 * (The fan-out first moves a full listener onto a feed of its own when others keep up.)
 */
export class UpstreamFeed {
  private readonly listeners = new Set<FeedListener>();
  /** Listeners that said they are full; the feed is paused while there is one (when resumable). */
  private readonly full = new Set<FeedListener>();
  private paused = false;
  private lastCursor: string | null;
  private unsubscribe: (() => void) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs = RETRY_MIN_MS;
  private stopped = false;
  private generation = 0;

  constructor(private readonly options: UpstreamFeedOptions) {
    this.lastCursor = options.startAfter;
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Adds a listener; the first one starts the upstream subscription, unless the feed is paused. */
  add(listener: FeedListener): void {
    this.listeners.add(listener);
    if (this.listeners.size === 1 && !this.unsubscribe && !this.retryTimer && !this.paused) this.subscribe();
  }

  /** Whether the feed can start again after a cursor (its root field takes `after`). */
  get resumable(): boolean {
    return this.options.resumable;
  }

  /** The cursor of the last event passed to the listeners (or where the feed started). */
  get cursor(): string | null {
    return this.lastCursor;
  }

  /** Whether a listener other than `listener` is keeping up. */
  keepsUpBesides(listener: FeedListener): boolean {
    for (const other of this.listeners) if (other !== listener && other.keepingUp) return true;
    return false;
  }

  /** The listeners that said they are full. */
  fullListeners(): FeedListener[] {
    return [...this.full];
  }

  /** Removes a listener; returns true when none is left (then the caller stops the feed). */
  remove(listener: FeedListener): boolean {
    this.listeners.delete(listener);
    if (this.listeners.size > 0) this.backpressure(listener, false);
    return this.listeners.size === 0;
  }

  /** Whether the feed has stopped its upstream subscription until its listeners catch up. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** A listener is full (`true`) or has drained (`false`); see the class comment. */
  backpressure(listener: FeedListener, full: boolean): void {
    if (full) this.full.add(listener);
    else this.full.delete(listener);
    if (!this.options.resumable || this.stopped) return;
    if (this.full.size > 0 && !this.paused) {
      this.paused = true;
      // Events still on their way belong to the old generation and are dropped; the resumed
      // subscription sends them again after the last cursor passed on.
      this.generation += 1;
      this.unsubscribe?.();
      this.unsubscribe = null;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.options.logger.warn({ after: this.lastCursor, listeners: this.listeners.size }, 'upstream subscription paused: its subscribers are behind');
    } else if (this.full.size === 0 && this.paused) {
      this.paused = false;
      if (this.listeners.size > 0) this.subscribe();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private subscribe(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    const current = (): boolean => generation === this.generation && !this.stopped;
    const variables = this.options.resumable ? { ...this.options.variables, [RESUME_VARIABLE]: this.lastCursor } : this.options.variables;
    this.options.onSubscribe?.();
    this.unsubscribe = this.options.client().subscribe<Record<string, unknown>, Record<string, unknown>>(
      { query: this.options.query, variables },
      {
        next: (result) => {
          if (current()) this.receive(result);
        },
        error: (error) => {
          if (current()) this.upstreamFailed(error);
        },
        complete: () => {
          if (current()) this.retryLater('the subgraph completed the subscription');
        },
      },
    );
  }

  private receive(result: UpstreamEvent): void {
    this.retryDelayMs = RETRY_MIN_MS;
    const cursor = result.extensions?.['cursor'];
    const eventCursor = typeof cursor === 'string' ? cursor : null;
    if (eventCursor !== null) {
      if (!comesAfter(eventCursor, this.lastCursor)) return; // a repeat after resuming
      this.lastCursor = eventCursor;
    }
    for (const listener of this.listeners) listener.event(result, eventCursor);
  }

  private upstreamFailed(error: unknown): void {
    if (Array.isArray(error)) {
      // GraphQL errors: the subgraph refused this subscription; retrying would be refused again.
      this.unsubscribe = null;
      const errors = error.map(refusalOf);
      for (const listener of [...this.listeners]) listener.fail(errors);
      return;
    }
    const code = closeCodeOf(error);
    if (code !== null && REFUSAL_CODES.has(code)) {
      this.unsubscribe = null;
      this.options.logger.error({ code, reason: describeClose(error) }, 'subgraph refused the gateway subscription');
      for (const listener of [...this.listeners]) listener.fail([{ message: `the subgraph refused the subscription (${describeClose(error)})` }]);
      return;
    }
    this.retryLater(describeClose(error));
  }

  private retryLater(reason: string): void {
    this.unsubscribe = null;
    if (this.stopped || this.retryTimer || this.paused) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_MAX_MS);
    this.options.logger.warn({ reason, retryInMs: delay, after: this.lastCursor }, 'upstream subscription lost; resubscribing');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.listeners.size > 0 && !this.paused) this.subscribe();
    }, delay);
  }
}

/** An upstream GraphQL error as passed to clients: its message and code (CURSOR_EXPIRED, BAD_USER_INPUT, …). */
function refusalOf(error: unknown): { message: string; extensions?: Record<string, unknown> } {
  if (typeof error !== 'object' || error === null) return { message: 'subscription refused by the subgraph' };
  const message = 'message' in error && typeof error.message === 'string' ? error.message : 'subscription refused by the subgraph';
  const extensions = 'extensions' in error && typeof error.extensions === 'object' && error.extensions !== null ? error.extensions : null;
  const code = extensions && 'code' in extensions && typeof extensions.code === 'string' ? extensions.code : null;
  return code === null ? { message } : { message, extensions: { code } };
}

/** Close codes after which subscribing again would only be refused again (bad request, identity). */
const REFUSAL_CODES = new Set([4400, 4401, 4403]);

function closeCodeOf(error: unknown): number | null {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number' ? error.code : null;
}

/** A WebSocket close event or an error, in words for the log. */
function describeClose(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const reason = 'reason' in error && typeof error.reason === 'string' && error.reason ? `: ${error.reason}` : '';
    return `socket closed with ${String(error.code)}${reason}`;
  }
  return 'connection failed';
}
