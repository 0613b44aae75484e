import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startSubscriptionGraph, type SubscriptionGraph } from '../support/subscription-graph';
import { testToken } from '../support/test-gateway';
import { eventually, gatewayClient, probe, type SubscriptionProbe } from '../support/ws-subscriber';

const READ = ['inventory:read', 'shipments:read', 'orders:read', 'customers:read'];
const SHIPMENTS = 'subscription($after: String) { shipmentUpdated(after: $after) { id status order { customer { name } } } }';

describe('gateway subscriptions: scoping, resume, restarts, slow consumers', () => {
  let graph: SubscriptionGraph;
  const clients: Client[] = [];
  const connect = async (options: { customerId?: string } = {}): Promise<Client> => {
    const client = gatewayClient(graph.wsUrl, await testToken({ scopes: READ, ...options }));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // A small outbound limit (1 MiB), so that a client which stops reading overflows it quickly.
    graph = await startSubscriptionGraph({ subscriptionBufferBytes: 1024 * 1024 });
  });
  /** Upstream subscribes before each test: a test's own upstream subscription is the next one. */
  const baseline = { stock: 0, parcels: 0 };
  beforeEach(() => {
    baseline.stock = graph.stock.stats.subscribes;
    baseline.parcels = graph.parcels.stats.subscribes;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await eventually(() => graph.gateway.subscriptions.stats().upstreamSubscriptions === 0, 5_000, 'upstream subscriptions to end');
  });
  afterAll(async () => graph?.close());

  it('gives a customer only its own shipments, over an upstream subscription of its own', async () => {
    const before = graph.parcels.stats.subscribes;
    const acme = probe(await connect({ customerId: 'C-1' }), SHIPMENTS);
    const bolt = probe(await connect({ customerId: 'C-2' }), SHIPMENTS);
    const staff = probe(await connect(), SHIPMENTS);
    await eventually(() => graph.parcels.stats.subscribes - before === 3, 5_000, 'one upstream subscription per scope');
    graph.parcelEvents.append({ id: 'S-10', orderId: 'O-1', status: 'PICKED_UP', customerId: 'C-1' });
    graph.parcelEvents.append({ id: 'S-11', orderId: 'O-2', status: 'PICKED_UP', customerId: 'C-2' });
    graph.parcelEvents.append({ id: 'S-12', orderId: 'O-3', status: 'DELIVERED', customerId: 'C-1' });
    await Promise.all([acme.waitForEvents(2), bolt.waitForEvents(1), staff.waitForEvents(3)]);
    const ids = (p: typeof acme) => p.events.map((e) => JSON.stringify(e.data));
    expect(acme.events.map((e) => e.data)).toEqual([
      { shipmentUpdated: { id: 'S-10', status: 'PICKED_UP', order: { customer: { name: 'Acme Hardware' } } } },
      { shipmentUpdated: { id: 'S-12', status: 'DELIVERED', order: { customer: { name: 'Acme Hardware' } } } },
    ]);
    expect(bolt.events.map((e) => e.data)).toEqual([{ shipmentUpdated: { id: 'S-11', status: 'PICKED_UP', order: { customer: { name: 'Bolt Supplies' } } } }]);
    expect(staff.events).toHaveLength(3);
    // Another event must not reach a customer late either.
    graph.parcelEvents.append({ id: 'S-13', orderId: 'O-2', status: 'DELIVERED', customerId: 'C-2' });
    await bolt.waitForEvents(2);
    await staff.waitForEvents(4);
    expect(ids(acme)).toHaveLength(2);
  });

  it('replays what came after the client\'s cursor, then goes live, in order and once each', async () => {
    const first = probe(await connect(), SHIPMENTS);
    await eventually(() => graph.parcels.stats.subscribes > baseline.parcels, 5_000, 'the upstream subscription');
    graph.parcelEvents.append({ id: 'S-20', orderId: 'O-1', status: 'LABEL_CREATED', customerId: 'C-1' });
    await first.waitForEvents(1);
    const cursor = first.events[0]?.extensions?.['cursor'];
    expect(typeof cursor).toBe('string');
    first.unsubscribe();
    // Missed while away.
    graph.parcelEvents.append({ id: 'S-20', orderId: 'O-1', status: 'PICKED_UP', customerId: 'C-1' });
    graph.parcelEvents.append({ id: 'S-20', orderId: 'O-1', status: 'IN_TRANSIT', customerId: 'C-1' });
    const resumed = probe(await connect(), SHIPMENTS, { after: cursor });
    await resumed.waitForEvents(2);
    graph.parcelEvents.append({ id: 'S-20', orderId: 'O-1', status: 'DELIVERED', customerId: 'C-1' });
    await resumed.waitForEvents(3);
    expect(resumed.events.map((e) => (e.data?.['shipmentUpdated'] as { status: string }).status)).toEqual(['PICKED_UP', 'IN_TRANSIT', 'DELIVERED']);
    // A second client resuming from the same cursor later gets the same replay, not just what is live.
    const late = probe(await connect(), SHIPMENTS, { after: cursor });
    await late.waitForEvents(3);
    expect(late.events).toEqual(resumed.events);
  });

  it('passes the subgraph\'s refusal of a bad cursor on, with its code', async () => {
    const refused = probe(await connect(), SHIPMENTS, { after: 'yesterday' });
    await refused.waitForEnd();
    expect(refused.failure).toEqual([expect.objectContaining({ message: expect.stringContaining('yesterday'), extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it('resubscribes after a subgraph restart with the last cursor: no gap, no repeat', async () => {
    const sub = probe(await connect(), 'subscription { inventoryChanged(skus: ["SKU-R"]) { sku onHand product { name } } }');
    await eventually(() => graph.stock.stats.subscribes > baseline.stock, 5_000, 'the upstream subscription');
    graph.stockEvents.append({ sku: 'SKU-R', warehouseId: 'W-1', onHand: 1 });
    graph.stockEvents.append({ sku: 'SKU-R', warehouseId: 'W-1', onHand: 2 });
    await sub.waitForEvents(2);
    const subscribes = graph.stock.stats.subscribes;
    await graph.stock.stop();
    // Events appended while the subgraph is down stay in its stream.
    graph.stockEvents.append({ sku: 'SKU-R', warehouseId: 'W-1', onHand: 3 });
    graph.stockEvents.append({ sku: 'SKU-R', warehouseId: 'W-1', onHand: 4 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await graph.stock.start();
    await eventually(() => graph.stock.stats.subscribes > subscribes, 10_000, 'the gateway to resubscribe');
    graph.stockEvents.append({ sku: 'SKU-R', warehouseId: 'W-1', onHand: 5 });
    await sub.waitForEvents(5, 10_000);
    expect(sub.failure).toBeNull();
    expect(sub.events.map((e) => (e.data?.['inventoryChanged'] as { onHand: number }).onHand)).toEqual([1, 2, 3, 4, 5]);
    expect(sub.events[4]?.data?.['inventoryChanged']).toEqual({ sku: 'SKU-R', onHand: 5, product: { name: 'Product SKU-R' } });
  });

  it('closes a client that stops reading with 4429 while another keeps receiving', async () => {
    const query = 'subscription { inventoryChanged(skus: ["SKU-BIG"]) { sku onHand note } }';
    const steady = probe(await connect(), query);
    const slow = await rawSubscriber(graph.wsUrl, await testToken({ scopes: READ }), query);
    await eventually(() => graph.gateway.subscriptions.stats().subscribers === 2, 5_000, 'both subscribers');
    slow.pause();
    const note = 'x'.repeat(64 * 1024);
    // 25 MB: enough to fill the kernel's socket buffers on loopback and then the gateway's 1 MiB,
    // paced so that a client which reads (in this same process) keeps up.
    const count = 400;
    const appending = (async () => {
      for (let i = 1; i <= count; i += 1) {
        graph.stockEvents.append({ sku: 'SKU-BIG', warehouseId: 'W-1', onHand: i, note });
        if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    // The gateway gives up on the slow client (it leaves its group) while it still is not reading.
    await eventually(() => graph.gateway.subscriptions.stats().subscribers === 1, 60_000, 'the slow consumer to be dropped');
    slow.resume();
    expect(await slow.closed).toEqual({ code: 4429, reason: expect.stringContaining('slow consumer') });
    await appending;
    await steady.waitForEvents(count, 60_000);
    expect(steady.events.map((e) => (e.data?.['inventoryChanged'] as { onHand: number }).onHand)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(steady.failure).toBeNull();
  }, 90_000);

  it('completes every subscription and closes with 1001 when the gateway shuts down', async () => {
    const own = await startSubscriptionGraph();
    try {
      const client = gatewayClient(own.wsUrl, await testToken({ scopes: READ }));
      const raw = await rawSubscriber(own.wsUrl, await testToken({ scopes: READ }), 'subscription { inventoryChanged { sku } }');
      const sub = probe(client, 'subscription { inventoryChanged { sku } }');
      await eventually(() => own.gateway.subscriptions.stats().subscribers === 2, 5_000, 'both subscribers');
      await own.gateway.close();
      await sub.waitForEnd();
      expect(sub.completed).toBe(true);
      expect(await raw.closed).toEqual({ code: 1001, reason: 'gateway shutting down' });
      expect(raw.messages.some((m) => m.type === 'complete' && m.id === '1')).toBe(true);
      await client.dispose();
    } finally {
      await own.close();
    }
  });
});

describe('gateway subscriptions: heartbeat', () => {
  let graph: SubscriptionGraph;
  beforeAll(async () => {
    graph = await startSubscriptionGraph({ subscriptionHeartbeatMs: 200 });
  });
  afterAll(async () => graph?.close());

  it('closes a subscriber with 4403 when its token expires, and keeps one whose token is valid', async () => {
    const query = 'subscription { inventoryChanged(skus: ["SKU-T"]) { sku onHand } }';
    const expiring = await rawSubscriber(graph.wsUrl, await testToken({ scopes: READ, ttlSeconds: 2 }), query);
    const lasting = await rawSubscriber(graph.wsUrl, await testToken({ scopes: READ }), query);
    expect(await expiring.closed).toEqual({ code: 4403, reason: 'Forbidden: token expired' });
    graph.stockEvents.append({ sku: 'SKU-T', warehouseId: 'W-1', onHand: 7 });
    await eventually(() => lasting.messages.some((m) => m.type === 'next'), 5_000, 'the valid subscriber\'s event');
    expect(graph.gateway.subscriptions.stats().connections).toBe(1);
    lasting.close();
  });

  it('cuts a client that stops answering pings, and not one that answers', async () => {
    const query = 'subscription { inventoryChanged(skus: ["SKU-H"]) { sku onHand } }';
    const silent = await rawSubscriber(graph.wsUrl, await testToken({ scopes: READ }), query);
    const alive = await rawSubscriber(graph.wsUrl, await testToken({ scopes: READ }), query);
    await eventually(() => graph.gateway.subscriptions.stats().subscribers === 2, 5_000, 'both subscribers');
    silent.pause(); // reads nothing more, so it cannot answer a ping
    await eventually(() => graph.gateway.subscriptions.stats().connections === 1, 5_000, 'the silent client to be cut');
    expect(graph.gateway.subscriptions.stats().subscribers).toBe(1);
    // Several beats later the answering client is still there and still served.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    graph.stockEvents.append({ sku: 'SKU-H', warehouseId: 'W-1', onHand: 3 });
    await eventually(() => alive.messages.some((m) => m.type === 'next'), 5_000, 'the live client\'s event');
    expect(graph.gateway.subscriptions.stats().connections).toBe(1);
    silent.resume();
    expect((await silent.closed).code).toBe(1006); // cut, no close frame
    alive.close();
  });
});

interface RawSubscriber {
  messages: { type: string; id?: string }[];
  closed: Promise<{ code: number; reason: string }>;
  pause(): void;
  resume(): void;
  close(): void;
}

/** A bare graphql-transport-ws client, for what graphql-ws' client hides: reading pauses, close frames. */
async function rawSubscriber(url: string, token: string, query: string): Promise<RawSubscriber> {
  const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
  const messages: { type: string; id?: string }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const acked = new Promise<void>((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: string };
      messages.push(message);
      if (message.type === 'connection_ack') resolve();
    });
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await acked;
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
  return { messages, closed, pause: () => socket.pause(), resume: () => socket.resume(), close: () => socket.close() };
}

describe('gateway subscriptions: flow control', () => {
  let graph: SubscriptionGraph;

  beforeAll(async () => {
    // A small backlog, so that a few events behind a stalled entity fetch fill it.
    graph = await startSubscriptionGraph({ subscriptionMaxBacklog: 20 });
  });
  afterAll(async () => graph?.close());

  const QUERY = 'subscription($after: String) { inventoryChanged(skus: ["SKU-LAG"], after: $after) { sku onHand product { name } } }';
  const onHands = (probed: SubscriptionProbe): number[] => probed.events.map((e) => (e.data?.['inventoryChanged'] as { onHand: number }).onHand);
  /** A subscription to one SKU's stock with the given product fields: the same upstream query whatever they are. */
  const stockOf = (sku: string, productFields: string) =>
    `subscription($after: String) { inventoryChanged(skus: ["${sku}"], after: $after) { sku onHand product { ${productFields} } } }`;
  const stats = () => graph.gateway.subscriptions.stats();

  /**
   * Subscribes two groups that share one upstream subscription, once the tests before have ended
   * theirs, and sees the first event reach both. Returns the fan-out's counts from before.
   */
  async function twoGroupsOnOneFeed(client: Client, sku: string, queries: [string, string]) {
    await eventually(() => stats().groups === 0 && stats().upstreamSubscriptions === 0, 5_000, 'the earlier subscriptions to end');
    const before = stats();
    const subscribes = graph.stock.stats.subscribes;
    const groups = [probe(client, queries[0]), probe(client, queries[1])] as const;
    await eventually(() => stats().groups === 2 && graph.stock.stats.subscribes > subscribes, 5_000, 'both groups subscribed');
    expect(stats().upstreamSubscriptions).toBe(1);
    graph.stockEvents.append({ sku, warehouseId: 'W-1', onHand: 1 });
    await Promise.all(groups.map((group) => group.waitForEvents(1)));
    return { before, groups };
  }

  /**
   * After its lookups are released: the group that was held gets all 60 events once, in order,
   * its own feed resumes, and the next event reaches both groups once.
   */
  async function heldCatchesUpAndBothGoOn(sku: string, held: SubscriptionProbe, groups: readonly SubscriptionProbe[]) {
    await held.waitForEvents(60, 15_000);
    expect(onHands(held)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    await eventually(() => stats().pausedUpstreamSubscriptions === 0, 5_000, 'its own feed to resume');
    graph.stockEvents.append({ sku, warehouseId: 'W-1', onHand: 61 });
    await Promise.all(groups.map((group) => group.waitForEvents(61)));
    expect(groups.map((group) => onHands(group).slice(-2))).toEqual(groups.map(() => [60, 61]));
    expect(groups.map((group) => group.failure)).toEqual(groups.map(() => null));
  }

  it('pauses the upstream subscription while a group is full and resumes after its last cursor: every event once, in order', async () => {
    const client = gatewayClient(graph.wsUrl, await testToken({ scopes: READ }));
    let release: () => void = () => undefined;
    try {
      const subscribes = graph.stock.stats.subscribes;
      const sub = probe(client, QUERY);
      await eventually(() => graph.stock.stats.subscribes > subscribes, 5_000, 'the upstream subscription');
      graph.stockEvents.append({ sku: 'SKU-LAG', warehouseId: 'W-1', onHand: 1 });
      await sub.waitForEvents(1);

      // The catalog stalls: every event now waits for its product name, and they pile up.
      release = graph.holdProductLookups();
      for (let onHand = 2; onHand <= 60; onHand += 1) graph.stockEvents.append({ sku: 'SKU-LAG', warehouseId: 'W-1', onHand });
      await eventually(() => graph.gateway.subscriptions.stats().pausedUpstreamSubscriptions === 1, 5_000, 'the upstream subscription to pause');
      const beforeResume = graph.stock.stats.subscribes;
      release();
      await sub.waitForEvents(60, 15_000);
      expect(onHands(sub)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(graph.gateway.subscriptions.stats().pausedUpstreamSubscriptions).toBe(0);
      // It resumed by subscribing again upstream (after its last cursor), not by buffering everything.
      expect(graph.stock.stats.subscribes).toBeGreaterThan(beforeResume);
      expect(sub.failure).toBeNull();

      // Live again: the next event comes once.
      graph.stockEvents.append({ sku: 'SKU-LAG', warehouseId: 'W-1', onHand: 61 });
      await sub.waitForEvents(61);
      expect(onHands(sub).slice(-2)).toEqual([60, 61]);
    } finally {
      release();
      await client.dispose();
    }
  }, 40_000);

  it('moves a group that falls behind onto an upstream subscription of its own, and the group sharing its feed keeps receiving', async () => {
    const client = gatewayClient(graph.wsUrl, await testToken({ scopes: READ }));
    let release: () => void = () => undefined;
    try {
      // The same upstream query (the stock subgraph's part), but only the second needs the catalog.
      const { before, groups } = await twoGroupsOnOneFeed(client, 'SKU-SPLIT', [stockOf('SKU-SPLIT', '__typename sku'), stockOf('SKU-SPLIT', 'name')]);
      const [keepsUp, behind] = groups;

      // The catalog stalls: `behind` piles up past its backlog (20); `keepsUp` needs nothing from it.
      release = graph.holdProductLookups();
      for (let onHand = 2; onHand <= 60; onHand += 1) graph.stockEvents.append({ sku: 'SKU-SPLIT', warehouseId: 'W-1', onHand });
      await keepsUp.waitForEvents(60, 15_000);
      expect(onHands(keepsUp)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      // All of it while the catalog still held `behind`: none of its lookups has answered or timed
      // out (a paused shared feed would have held `keepsUp` until they timed out, 5 s, with errors).
      expect(behind.events.length).toBeLessThan(60);
      expect(behind.events.filter((e) => e.errors !== undefined)).toEqual([]);
      expect(stats()).toMatchObject({ groupsSplitOff: before.groupsSplitOff + 1, upstreamSubscriptions: 2, pausedUpstreamSubscriptions: 1 });

      // Once the catalog answers, the group that was behind gets every event once, in order.
      release();
      await heldCatchesUpAndBothGoOn('SKU-SPLIT', behind, groups);
    } finally {
      release();
      await client.dispose();
    }
    await eventually(() => stats().upstreamSubscriptions === 0, 5_000, 'both upstream subscriptions to end');
  }, 40_000);

  it('pauses a feed whose groups fall behind together, and when one catches up moves the other off and goes on', async () => {
    const client = gatewayClient(graph.wsUrl, await testToken({ scopes: READ }));
    const releases: (() => void)[] = [];
    try {
      // The same upstream query; the first needs the catalog, the second the orders subgraph.
      const { before, groups } = await twoGroupsOnOneFeed(client, 'SKU-BOTH', [stockOf('SKU-BOTH', 'name'), stockOf('SKU-BOTH', 'openOrders')]);
      const [byName, byOrders] = groups;

      // Both stall: they fall behind together, so their shared feed pauses and nobody moves off.
      const releaseCatalog = graph.holdProductLookups();
      const releaseOrders = graph.holdOrderLookups();
      releases.push(releaseCatalog, releaseOrders);
      for (let onHand = 2; onHand <= 60; onHand += 1) graph.stockEvents.append({ sku: 'SKU-BOTH', warehouseId: 'W-1', onHand });
      await eventually(() => stats().pausedUpstreamSubscriptions === 1, 5_000, 'the shared feed to pause');
      expect(stats()).toMatchObject({ upstreamSubscriptions: 1, groupsSplitOff: before.groupsSplitOff });

      // The orders subgraph answers again: `byOrders` catches up and gets every event while the
      // catalog still holds `byName`, which moved onto a feed of its own.
      releaseOrders();
      await byOrders.waitForEvents(60, 15_000);
      expect(onHands(byOrders)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(byName.events.filter((e) => e.errors !== undefined)).toEqual([]);
      expect(byName.events.length).toBeLessThan(60);
      expect(stats()).toMatchObject({ upstreamSubscriptions: 2, groupsSplitOff: before.groupsSplitOff + 1, pausedUpstreamSubscriptions: 1 });

      releaseCatalog();
      await heldCatchesUpAndBothGoOn('SKU-BOTH', byName, groups);
    } finally {
      for (const release of releases) release();
      await client.dispose();
    }
    await eventually(() => stats().upstreamSubscriptions === 0, 5_000, 'both upstream subscriptions to end');
  }, 40_000);

  it('replays a resumed subscription five times its backlog behind: every event once, in order', async () => {
    const client = gatewayClient(graph.wsUrl, await testToken({ scopes: READ }));
    try {
      const subscribes = graph.stock.stats.subscribes;
      const first = probe(client, QUERY);
      await eventually(() => graph.stock.stats.subscribes > subscribes, 5_000, 'the upstream subscription');
      graph.stockEvents.append({ sku: 'SKU-LAG', warehouseId: 'W-2', onHand: 1000 });
      await first.waitForEvents(1);
      const cursor = first.events[0]?.extensions?.['cursor'];
      first.unsubscribe();
      // Missed while away: five times the backlog.
      for (let onHand = 1001; onHand <= 1100; onHand += 1) graph.stockEvents.append({ sku: 'SKU-LAG', warehouseId: 'W-2', onHand });
      const resumed = probe(client, QUERY, { after: cursor });
      await resumed.waitForEvents(100, 15_000);
      expect(onHands(resumed)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1001));
      expect(resumed.failure).toBeNull();
    } finally {
      await client.dispose();
    }
  }, 40_000);
});
