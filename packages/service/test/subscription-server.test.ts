import { afterEach, describe, expect, it } from '@jest/globals';
import { signIdentity, type Identity } from '@crossdock/auth';
import { MemoryEventStreams, StreamFeed } from '@crossdock/events';
import { connectSubscriptions, type TestSubscriptionConnection } from '@crossdock/testkit';
import { buildSchema, isObjectType, type GraphQLSchema } from 'graphql';
import { createLogger, requireScope, startSubgraphService, subscribeToEvents, type RunningService } from '../src';

/**
 * The subgraphs' graphql-ws serving, in process over a real socket: identity at connect, cursor
 * per event, CURSOR_EXPIRED, fresh context per event, and unsubscribing on complete.
 */

const SECRET = 'service-test-subgraph-secret-0123456789';
const READER: Identity = { subject: 'reader', scopes: ['inventory:read'], customerId: null, channel: null };
const STREAM = 'crossdock:events:inventory';

interface Context {
  identity: Identity | null;
  /** Which context this is: a fresh one per event shows as a new number. */
  serial: number;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(retention = { maxLength: 100, approximate: false }) {
  const streams = new MemoryEventStreams({ retention });
  const feed = new StreamFeed(streams, STREAM, { blockMs: 100 });
  let contexts = 0;
  const schema = withResolvers(
    buildSchema(/* GraphQL */ `
      type Query { ok: Boolean }
      type Position { sku: ID!  onHand: Int!  context: Int! }
      type Subscription { inventoryChanged(skus: [ID!], after: String): Position! }
    `),
    feed,
  );
  const service: RunningService = await startSubgraphService<Context>(
    { name: 'test', schema, subgraphSecret: SECRET, logger: createLogger('test', 'silent'), createContext: (identity) => ({ identity, serial: (contexts += 1) }) },
    { port: 0, host: '127.0.0.1' },
  );
  cleanup.push(() => streams.close(), () => feed.close(), () => service.close());
  const append = (sku: string, onHand: number) =>
    streams.append(STREAM, JSON.stringify({
      type: 'inventory.changed',
      movementId: `${sku}-${onHand}`,
      movementType: 'ADJUST',
      delta: 1,
      reservedDelta: 0,
      orderId: null,
      position: { sku, warehouseId: 'W1', onHand, reserved: 0, safetyStock: 0, updatedAt: '2026-11-27T10:00:00.000Z' },
      at: '2026-11-27T10:00:00.000Z',
    }));
  const connect = async (identity: Identity = READER): Promise<TestSubscriptionConnection> => {
    const connection = await connectSubscriptions(`ws://127.0.0.1:${service.port}/graphql`, { 'x-crossdock-identity': signIdentity(identity, SECRET) });
    cleanup.push(() => connection.close());
    return connection;
  };
  return { service, feed, append, connect };
}

/** Resolvers the way a subgraph writes them, over the feed. */
function withResolvers(schema: GraphQLSchema, feed: StreamFeed): GraphQLSchema {
  const field = schema.getSubscriptionType()?.getFields().inventoryChanged;
  const position = schema.getType('Position');
  if (!field || !isObjectType(position)) throw new Error('schema without inventoryChanged');
  field.subscribe = (_root: unknown, args: { skus?: string[] | null; after?: string | null }, context: Context) => {
    requireScope(context.identity, 'inventory:read');
    return subscribeToEvents({
      field: 'inventoryChanged',
      feed,
      after: args.after,
      select: (event) => (event.type === 'inventory.changed' && (!args.skus || args.skus.includes(event.position.sku)) ? event.position : null),
    });
  };
  const contextField = position.getFields().context;
  if (contextField) contextField.resolve = (_position: unknown, _args: unknown, context: Context) => context.serial;
  return schema;
}

const QUERY = /* GraphQL */ `
  subscription ($skus: [ID!], $after: String) { inventoryChanged(skus: $skus, after: $after) { sku onHand context } }
`;

describe('subscriptions over graphql-ws on a subgraph', () => {
  it('refuses a connection without a valid identity with 4401, and accepts a signed one', async () => {
    const { service, connect } = await start();
    await expect(connectSubscriptions(`ws://127.0.0.1:${service.port}/graphql`)).rejects.toThrow(/4401/);
    await expect(
      connectSubscriptions(`ws://127.0.0.1:${service.port}/graphql`, { 'x-crossdock-identity': signIdentity(READER, SECRET, Date.now() - 3_600_000) }),
    ).rejects.toThrow(/4401.*stale/);
    await expect(connect()).resolves.toBeDefined();
  });

  it('sends each event with its cursor, executed in a fresh context', async () => {
    const { connect, append } = await start();
    const subscription = (await connect()).subscribe<{ inventoryChanged: { sku: string; onHand: number; context: number } }>(QUERY, { skus: ['A'] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const ids = [await append('A', 1), await append('B', 2), await append('A', 3)];
    const events = await subscription.waitFor(2);
    expect(events.map((e) => [e.data?.inventoryChanged.sku, e.data?.inventoryChanged.onHand, e.extensions?.cursor])).toEqual([
      ['A', 1, ids[0]],
      ['A', 3, ids[2]],
    ]);
    const [first, second] = events.map((e) => e.data?.inventoryChanged.context);
    expect(first).not.toBe(second);
  });

  it('refuses a caller without the scope, and a cursor the stream no longer covers', async () => {
    const { connect, append } = await start({ maxLength: 2, approximate: false });
    const first = await append('A', 1);
    for (const onHand of [2, 3, 4]) await append('A', onHand);
    const connection = await connect();
    expect(await connection.subscribe(QUERY, { after: first }).ended).toEqual({
      kind: 'error',
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'CURSOR_EXPIRED' }) })],
    });
    const outsider = await connect({ ...READER, scopes: ['orders:read'] });
    expect(await outsider.subscribe(QUERY, {}).ended).toEqual({ kind: 'error', errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })] });
  });

  it('lets go of the feed when the client completes, even with no event in sight', async () => {
    const { connect, feed } = await start();
    const subscription = (await connect()).subscribe(QUERY, {});
    const deadline = Date.now() + 5_000;
    while (feed.subscriberCount === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(feed.subscriberCount).toBe(1);
    subscription.complete();
    while (feed.subscriberCount > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(feed.subscriberCount).toBe(0);
  });

  it('completes every subscription when the service closes', async () => {
    const { connect, service } = await start();
    const connection = await connect();
    const subscription = connection.subscribe(QUERY, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await service.close();
    expect((await connection.closed).code).toBe(1001);
    expect(await subscription.ended).toEqual({ kind: 'closed', code: 1001 });
  });
});
