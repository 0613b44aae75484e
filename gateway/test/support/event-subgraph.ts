import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Identity } from '@crossdock/auth';
import { createLogger, CURSOR_FIELD, startSubgraphService, type RunningService, type SubscriptionEvent } from '@crossdock/service';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { ComposedSubgraph } from './test-gateway';
import { TEST_SUBGRAPH_SECRET } from './test-gateway';

/** What a subgraph resolver sees: the gateway's verified identity. */
export interface EventContext {
  identity: Identity | null;
}

/** Subscribe calls one in-test subgraph's subscription resolvers received. */
export interface SubscriptionStats {
  subscribes: number;
}

/**
 * An append-only event log with Redis Stream style ids (`0-<n>`), standing in for a subgraph's
 * stream: readers replay what comes after a cursor, then get live events, in order, shaped as
 * the subgraph service's subscription server takes them (value under the field, cursor beside).
 */
export class TestEventStream<T> {
  private readonly entries: { id: string; event: T }[] = [];
  private readonly readers = new Set<() => void>();

  append(event: T): string {
    const id = `0-${this.entries.length + 1}`;
    this.entries.push({ id, event });
    for (const wake of this.readers) wake();
    return id;
  }

  /** Events after `after` that pass `accept`, replayed, then live ones. */
  read<F extends string>(field: F, after: string | null, accept: (event: T) => boolean, stats: SubscriptionStats): AsyncIterableIterator<SubscriptionEvent<F, T>> {
    if (after !== null && !/^0-\d+$/.test(after)) {
      throw new GraphQLError(`"${after}" is not a cursor of this stream`, { extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
    }
    // Without a cursor a reader starts at the end: live events only, as the contract says.
    let next = after === null ? this.entries.length : Number(after.split('-')[1]);
    let done = false;
    let wake: (() => void) | null = null;
    const entries = this.entries;
    const wakeUp = (): void => {
      wake?.();
    };
    this.readers.add(wakeUp);
    stats.subscribes += 1;
    const finish = (): IteratorResult<SubscriptionEvent<F, T>> => {
      done = true;
      this.readers.delete(wakeUp);
      wakeUp();
      return { done: true, value: undefined };
    };
    const iterator: AsyncIterableIterator<SubscriptionEvent<F, T>> = {
      next: async () => {
        while (!done) {
          while (next < entries.length) {
            const entry = entries[next++]!;
            if (!accept(entry.event)) continue;
            const payload: Record<string, unknown> = { [field]: entry.event, [CURSOR_FIELD]: entry.id };
            return { done: false, value: payload as SubscriptionEvent<F, T> }; // both keys set just above
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
        return { done: true, value: undefined };
      },
      return: async () => finish(),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}

export interface EventSubgraphSpec {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<EventContext>;
  /** Where its subscription resolvers count themselves. */
  stats?: SubscriptionStats;
}

/** A running in-test subgraph: HTTP GraphQL plus graphql-ws, as the contract has subgraphs serve it. */
export interface EventSubgraph extends ComposedSubgraph {
  port: number;
  stats: SubscriptionStats;
  /** Goes away like a crashed process: sockets cut, port closed. */
  stop(): Promise<void>;
  /** Comes back on the same port (after stop). */
  start(): Promise<void>;
}

/**
 * Starts a subgraph the way the real ones run: `startSubgraphService`, which serves HTTP GraphQL
 * (signed identity header required) and, for a schema with subscriptions, graphql-ws on the same
 * port and path (signed identity required in `connection_init`; `extensions.cursor` per event).
 */
export async function startEventSubgraph(spec: EventSubgraphSpec): Promise<EventSubgraph> {
  const schema = buildSubgraphSchema([{ typeDefs: spec.typeDefs, resolvers: spec.resolvers }]);
  const logger = createLogger('test', 'silent');
  const stats = spec.stats ?? { subscribes: 0 };
  let running: RunningService | null = null;
  let port = 0;
  const start = async (): Promise<void> => {
    running = await startSubgraphService(
      { name: spec.name, schema, createContext: (identity): EventContext => ({ identity }), subgraphSecret: TEST_SUBGRAPH_SECRET, logger },
      { port, host: '127.0.0.1' },
    );
    port = running.port;
  };
  await start();
  return {
    name: spec.name,
    typeDefs: spec.typeDefs,
    get url() {
      return `http://127.0.0.1:${port}/graphql`;
    },
    get port() {
      return port;
    },
    stats,
    start,
    stop: async () => {
      const service = running;
      running = null;
      await service?.close();
    },
  };
}
