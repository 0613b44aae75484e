import { hasScope, type Identity, type Scope } from '@crossdock/auth';
import { CursorExpiredError, decodeEvent, InvalidCursorError, type HubEvent, type StreamEntry, type StreamFeed } from '@crossdock/events';
import { GraphQLError } from 'graphql';
import { mapEvents } from './event-iterators';
import { CURSOR_FIELD, type SubscriptionEvent } from './subscription-server';

export interface EventSubscriptionOptions<F extends string, T> {
  /** The subscription field, e.g. "inventoryChanged": the payload carries the value under it. */
  field: F;
  feed: StreamFeed;
  /** The client's `after` argument: replay what came after this cursor first. */
  after: string | null | undefined;
  /**
   * The value to send for an event, or null when this subscriber must not get it: another
   * topic's event, outside its filter arguments, or a record its identity may not read.
   */
  select: (event: HubEvent) => T | null;
  /** Hears an entry that is not a canonical event (it is skipped). */
  onMalformed?: (entry: StreamEntry, error: unknown) => void;
}

/**
 * A subscription resolver's source: the feed's entries after `after` (or from now), decoded,
 * selected for this subscriber and shaped as SubscriptionEvent, so each `next` message carries
 * its cursor. A cursor older than the stream keeps is refused as CURSOR_EXPIRED (and a
 * malformed one as BAD_USER_INPUT) before anything is sent.
 */
export async function subscribeToEvents<F extends string, T>(options: EventSubscriptionOptions<F, T>): Promise<AsyncIterableIterator<SubscriptionEvent<F, T>>> {
  let entries: AsyncIterableIterator<StreamEntry>;
  try {
    entries = await options.feed.subscribe(options.after ?? null);
  } catch (error) {
    throw cursorError(error);
  }
  return mapEvents(entries, (entry) => {
    let event: HubEvent;
    try {
      event = decodeEvent(entry.payload);
    } catch (error) {
      options.onMalformed?.(entry, error);
      return null;
    }
    const value = options.select(event);
    return value === null ? null : eventPayload(options.field, value, entry.id);
  });
}

function eventPayload<F extends string, T>(field: F, value: T, cursor: string): SubscriptionEvent<F, T> {
  const payload: Record<string, unknown> = { [field]: value, [CURSOR_FIELD]: cursor };
  return payload as SubscriptionEvent<F, T>; // both keys set just above
}

function cursorError(error: unknown): unknown {
  if (error instanceof CursorExpiredError) {
    return new GraphQLError(`${error.message}; subscribe again without "after"`, {
      extensions: { code: 'CURSOR_EXPIRED', oldestCursor: error.oldestKept },
    });
  }
  if (error instanceof InvalidCursorError) {
    return new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  }
  return error;
}

/**
 * The subgraph's own check of a subscription's scope. The gateway enforces @requiresScopes
 * before it subscribes; checking again at the source costs nothing and keeps a subgraph that is
 * reached some other way from streaming what the caller may not read.
 */
export function requireScope(identity: Identity | null, scope: Scope): void {
  if (identity !== null && !hasScope(identity, scope)) {
    throw new GraphQLError(`this subscription needs the scope ${scope}`, { extensions: { code: 'FORBIDDEN' } });
  }
}
