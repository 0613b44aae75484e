import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signIdentity, type Identity } from '@crossdock/auth';
import { MongoExceptionStore } from '@crossdock/exceptions';
import { generateWorld, signBody } from '@crossdock/simulators';
import { connectSubscriptions, READ_SCOPES, startHubStack, type HubStack, type SubgraphName, type TestSubscriptionConnection } from '@crossdock/testkit';

/**
 * The subgraph half of live subscriptions, on real processes: the WMS and carrier simulators post
 * signed notices to their subgraphs, which append canonical events to Redis Streams and serve
 * them over graphql-ws (as the gateway connects: its signed identity in connection_init).
 */

const world = generateWorld();
const ordersById = new Map(world.orders.map((o) => [o.id, o]));
const shipmentsByOrder = new Map<string, typeof world.shipments>();
for (const s of world.shipments) shipmentsByOrder.set(s.orderId, [...(shipmentsByOrder.get(s.orderId) ?? []), s]);

/** Seeded orders whose parcels are exactly in these statuses, and whose platform status is `status`. */
function ordersWith(status: string, parcels: string[]) {
  return world.orders.filter((o) => o.status === status && (shipmentsByOrder.get(o.id) ?? []).map((s) => s.status).join(',') === parcels.join(','));
}

const EVERYONE: Identity = { subject: 'sub-test', scopes: READ_SCOPES, customerId: null, channel: null };

let stack: HubStack;
const connections: TestSubscriptionConnection[] = [];

beforeAll(async () => {
  stack = await startHubStack();
}, 180_000);
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await stack?.stop();
});

/** Opens a graphql-ws connection to a subgraph replica the way the gateway does. */
async function connect(name: SubgraphName, identity: Identity = EVERYONE, port = stack.subgraph(name).port): Promise<TestSubscriptionConnection> {
  const connection = await connectSubscriptions(`ws://127.0.0.1:${port}/graphql`, { 'x-crossdock-identity': signIdentity(identity, stack.subgraphSecret) });
  connections.push(connection);
  return connection;
}

async function admin(backend: 'wms' | 'shipping', path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${stack.simulatorUrls[backend]}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>; // the simulator's admin answer
}

const adjust = (sku: string, warehouseId: string, delta: number) => admin('wms', '/_admin/adjust', { sku, warehouseId, delta });
const advance = (shipmentId: string) => admin('shipping', `/_admin/shipments/${shipmentId}/advance`);

const INVENTORY = /* GraphQL */ `
  subscription ($skus: [ID!], $warehouseIds: [ID!], $after: String) {
    inventoryChanged(skus: $skus, warehouseIds: $warehouseIds, after: $after) { sku onHand reserved available warehouse { id name } product { sku } }
  }
`;
const SHIPMENTS = /* GraphQL */ `
  subscription ($orderId: ID, $after: String) { shipmentUpdated(orderId: $orderId, after: $after) { id status order { id } events { status } } }
`;
const ORDERS = /* GraphQL */ `
  subscription ($orderId: ID) { orderStatusChanged(orderId: $orderId) { id status channel customer { id } } }
`;

interface Position {
  sku: string;
  onHand: number;
  warehouse: { id: string; name: string };
  product: { sku: string };
}

describe('connections', () => {
  it('refuses a connection without the gateway signed identity, with close code 4401', async () => {
    const port = stack.subgraph('wms').port;
    await expect(connectSubscriptions(`ws://127.0.0.1:${port}/graphql`, {})).rejects.toThrow(/4401/);
    await expect(connectSubscriptions(`ws://127.0.0.1:${port}/graphql`, { 'x-crossdock-identity': signIdentity(EVERYONE, 'not-the-hub-secret-at-all') })).rejects.toThrow(/4401/);
  });
});

describe('inventoryChanged (wms)', () => {
  it('sends the position after a WMS adjustment, with its cursor, resolving entity fields', async () => {
    const wms = await connect('wms');
    const subscription = wms.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00011'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answer = await adjust('SKU-00011', 'WH-EAST', 7);
    const [event] = await subscription.waitFor(1);
    const stock = answer.stock as { qty_on_hand: number }; // the simulator's stock record
    expect(event?.data?.inventoryChanged).toEqual(
      expect.objectContaining({ sku: 'SKU-00011', onHand: stock.qty_on_hand, warehouse: { id: 'WH-EAST', name: expect.any(String) }, product: { sku: 'SKU-00011' } }),
    );
    expect(event?.extensions?.cursor).toMatch(/^\d+-\d+$/);
    subscription.complete();
  });

  it('passes only what the filters ask for', async () => {
    const wms = await connect('wms');
    const east = wms.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00012'], warehouseIds: ['WH-EAST'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await adjust('SKU-00012', 'WH-WEST', 3);
    await adjust('SKU-00013', 'WH-EAST', 3);
    await adjust('SKU-00012', 'WH-EAST', 4);
    // Events arrive in stream order: once the EAST one is here, the others were passed over.
    const received = await east.waitFor(1);
    expect(received.map((e) => [e.data?.inventoryChanged.sku, e.data?.inventoryChanged.warehouse.id])).toEqual([['SKU-00012', 'WH-EAST']]);
    east.complete();
  });

  it('resumes after a cursor: what was missed, in order, without duplicates, then live', async () => {
    const wms = await connect('wms');
    const first = wms.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00014'] });
    // Stays subscribed throughout: each adjustment is awaited on it before the next is made. The
    // simulator posts its webhook notices after answering, each on its own, so one made right
    // after another may overtake it, and the stream's order would not be the adjustments' order.
    const watcher = wms.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00014'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    let made = 0;
    const adjustSeen = async (delta: number) => {
      await adjust('SKU-00014', 'WH-CENTRAL', delta);
      await watcher.waitFor((made += 1));
    };
    for (const delta of [1, 2, 3]) await adjustSeen(delta);
    const seen = await first.waitFor(3);
    first.complete();
    // Missed while away:
    for (const delta of [4, 5]) await adjustSeen(delta);
    const resumed = wms.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00014'], after: seen[0]?.extensions?.cursor });
    const replayed = await resumed.waitFor(4);
    await adjust('SKU-00014', 'WH-CENTRAL', 6);
    const all = await resumed.waitFor(5);
    const cursors = all.map((e) => e.extensions?.cursor);
    expect(new Set(cursors).size).toBe(5);
    expect(cursors.slice(0, 2)).toEqual(seen.slice(1).map((e) => e.extensions?.cursor));
    expect([...cursors].sort()).toEqual(cursors);
    // On hand grew by 2, 3, 4, 5, 6 over those five events.
    const onHand = all.map((e) => e.data?.inventoryChanged.onHand ?? 0);
    expect(onHand.slice(1).map((value, i) => value - (onHand[i] ?? 0))).toEqual([3, 4, 5, 6]);
    expect(replayed).toHaveLength(4);
    resumed.complete();
    watcher.complete();
  });

  it('refuses a cursor older than what the stream keeps, and one that is not a cursor', async () => {
    const wms = await connect('wms');
    const fromTheFuture = wms.subscribe(INVENTORY, { after: '99999999999999-0' });
    expect(await fromTheFuture.ended).toEqual({ kind: 'error', errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'CURSOR_EXPIRED' }) })] });
    const garbage = wms.subscribe(INVENTORY, { after: 'last tuesday' });
    expect(await garbage.ended).toEqual({ kind: 'error', errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })] });
  });

  it('is delivered by every replica to its own subscribers, once each', async () => {
    const second = await stack.startSubgraphReplica('wms');
    const [a, b] = await Promise.all([connect('wms'), connect('wms', EVERYONE, second.port)]);
    const onA = a.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00015'] });
    const onB = b.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00015'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await adjust('SKU-00015', 'WH-SOUTH', 2);
    await adjust('SKU-00015', 'WH-SOUTH', 2);
    const [fromA, fromB] = await Promise.all([onA.waitFor(2), onB.waitFor(2)]);
    expect(fromA.map((e) => e.extensions?.cursor)).toEqual(fromB.map((e) => e.extensions?.cursor));
    expect(new Set(fromA.map((e) => e.extensions?.cursor)).size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(onA.received).toHaveLength(2);
    expect(onB.received).toHaveLength(2);
  });
});

describe('shipmentUpdated (shipping) and orderStatusChanged (commerce)', () => {
  it('sends a scan to those who may see it, and never another customer\'s parcel', async () => {
    const [mine, theirs] = ordersWith('SHIPPED', ['IN_TRANSIT']);
    if (!mine || !theirs || mine.customerId === theirs.customerId) throw new Error('the seeded world has no two suitable orders');
    const mineShipment = shipmentsByOrder.get(mine.id)![0]!;
    const theirShipment = shipmentsByOrder.get(theirs.id)![0]!;
    const [everyone, customer] = await Promise.all([connect('shipping'), connect('shipping', { ...EVERYONE, customerId: theirs.customerId })]);
    const all = everyone.subscribe<{ shipmentUpdated: { id: string; status: string; order: { id: string } } }>(SHIPMENTS, {});
    const own = customer.subscribe<{ shipmentUpdated: { id: string } }>(SHIPMENTS, {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    await advance(mineShipment.id);
    // The carrier's two scans reach the hub each on its own way: wait for the first, so the
    // stream's order is the order of the scans.
    await all.waitFor(1);
    await advance(theirShipment.id);
    const seenByAll = await all.waitFor(2);
    expect(seenByAll.map((e) => [e.data?.shipmentUpdated.id, e.data?.shipmentUpdated.status, e.data?.shipmentUpdated.order.id])).toEqual([
      [mineShipment.id, 'OUT_FOR_DELIVERY', mine.id],
      [theirShipment.id, 'OUT_FOR_DELIVERY', theirs.id],
    ]);
    // In stream order the other customer's scan came first: the customer's first event is its own.
    const seenByCustomer = await own.waitFor(1);
    expect(seenByCustomer.map((e) => e.data?.shipmentUpdated.id)).toEqual([theirShipment.id]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(own.received).toHaveLength(1);
  });

  it('turns a scan that moves an order into one orderStatusChanged, whichever commerce replica serves it', async () => {
    const [allocated] = ordersWith('ALLOCATED', ['LABEL_CREATED']);
    const [inTransit] = ordersWith('SHIPPED', ['IN_TRANSIT']).slice(2);
    if (!allocated || !inTransit) throw new Error('the seeded world has no suitable orders');
    const secondCommerce = await stack.startSubgraphReplica('commerce');
    const [a, b] = await Promise.all([connect('commerce'), connect('commerce', EVERYONE, secondCommerce.port)]);
    type OrderEvent = { orderStatusChanged: { id: string; status: string; channel: string; customer: { id: string } } };
    const onA = a.subscribe<OrderEvent>(ORDERS, {});
    const onB = b.subscribe<OrderEvent>(ORDERS, {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A scan that leaves the order SHIPPED announces nothing; the label's first scan ships the order.
    await advance(shipmentsByOrder.get(inTransit.id)![0]!.id);
    await advance(shipmentsByOrder.get(allocated.id)![0]!.id);
    const [fromA, fromB] = await Promise.all([onA.waitFor(1), onB.waitFor(1)]);
    for (const events of [fromA, fromB]) {
      expect(events.map((e) => e.data?.orderStatusChanged)).toEqual([{ id: allocated.id, status: 'SHIPPED', channel: allocated.channel, customer: { id: allocated.customerId } }]);
    }
    // Two commerce replicas read the scan through one consumer group: one event, not two.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(onA.received).toHaveLength(1);
    expect(onB.received).toHaveLength(1);
    expect(ordersById.get(allocated.id)?.status).toBe('ALLOCATED');
  });

  it('announces a placed order to its own customer only', async () => {
    const [customer, other] = world.customers.filter((c) => !c.onHold);
    if (!customer || !other) throw new Error('the seeded world has no two customers in good standing');
    const [own, foreign] = await Promise.all([connect('commerce', { ...EVERYONE, customerId: customer.id }), connect('commerce', { ...EVERYONE, customerId: other.id })]);
    const ownEvents = own.subscribe<{ orderStatusChanged: { id: string; status: string; channel: string; customer: { id: string } } }>(ORDERS, {});
    const foreignEvents = foreign.subscribe(ORDERS, {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    const token = await stack.token({ scopes: ['orders:write', 'orders:read'] });
    const placed = await stack.query<{ placeOrder: { order: { id: string; status: string } | null; errors: unknown[] } }>(
      /* GraphQL */ `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } errors { code message } } }`,
      { input: { idempotencyKey: 'sub-test-1', channel: 'b2b-portal', customerId: customer.id, lines: [{ sku: 'SKU-00020', quantity: 1 }] } },
      token,
    );
    const order = placed.body.data?.placeOrder.order;
    if (!order) throw new Error(`placeOrder failed: ${JSON.stringify(placed.body)}`);
    const [event] = await ownEvents.waitFor(1);
    expect(event?.data?.orderStatusChanged).toEqual({ id: order.id, status: order.status, channel: 'b2b-portal', customer: { id: customer.id } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(foreignEvents.received).toHaveLength(0);
  });
});

describe('webhooks', () => {
  const post = (name: 'wms' | 'shipping', path: string, body: string, headers: Record<string, string>) =>
    fetch(`${stack.subgraph(name).url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('accepts a signed notice and answers its cursor; a redelivered notice is published once', async () => {
    const movementId = `mv-hand-made-${Date.now()}`;
    const body = JSON.stringify({
      event: 'stock.movement',
      movement_id: movementId,
      movement_type: 'ADJUST',
      delta: 1,
      reserved_delta: 0,
      item_code: 'SKU-00016',
      warehouse_code: 'WH-EAST',
      qty_on_hand: 10,
      qty_reserved: 0,
      qty_safety: 0,
      last_movement_ts: 1_800_000_000,
    });
    const response = await post('wms', '/webhooks/wms', body, { 'x-wms-signature': signBody(body, stack.webhookSecret) });
    expect(response.status).toBe(202);
    const first = (await response.json()) as { accepted: boolean; cursor: string };
    expect(first).toEqual({ accepted: true, cursor: expect.stringMatching(/^\d+-\d+$/) });
    // The WMS retries (its answer was lost) while another copy is in flight on the other replica.
    const replicas = [stack.subgraph('wms').url, (await stack.startSubgraphReplica('wms')).url];
    const again = await Promise.all(
      [0, 1, 0, 1].map((replica) =>
        fetch(`${replicas[replica]}/webhooks/wms`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wms-signature': signBody(body, stack.webhookSecret) }, body }),
      ),
    );
    expect(again.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(await Promise.all(again.map((r) => r.json()))).toEqual(Array(4).fill(first));
    // Nothing was appended for the copies: resuming after the notice's cursor, the next event is the next movement.
    const wms = await connect('wms');
    const resumed = wms.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00016'], after: first.cursor });
    const other = JSON.stringify({ ...(JSON.parse(body) as object), movement_id: `${movementId}-next`, qty_on_hand: 11 });
    const next = (await (await post('wms', '/webhooks/wms', other, { 'x-wms-signature': signBody(other, stack.webhookSecret) })).json()) as { cursor: string };
    const [afterFirst] = await resumed.waitFor(1);
    expect(afterFirst?.extensions?.cursor).toBe(next.cursor);
    resumed.complete();
  });

  it('never sends a subscriber a position older than one it already sent, when notices overtake each other', async () => {
    const wms = await connect('wms');
    const subscription = wms.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00019'], warehouseIds: ['WH-EAST'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const notice = (seq: number | null, onHand: number) =>
      JSON.stringify({
        event: 'stock.movement',
        movement_id: `mv-overtaken-${Date.now()}-${seq}-${onHand}`,
        ...(seq === null ? {} : { movement_seq: seq }),
        movement_type: 'ADJUST',
        delta: 1,
        reserved_delta: 0,
        item_code: 'SKU-00019',
        warehouse_code: 'WH-EAST',
        qty_on_hand: onHand,
        qty_reserved: 0,
        qty_safety: 0,
        last_movement_ts: 1_800_000_000,
      });
    const base = Date.now() * 1000;
    // Movement 2 (on hand 12) arrives before movement 1 (on hand 11), then movement 3 (13), then one without a number.
    for (const body of [notice(base + 2, 12), notice(base + 1, 11), notice(base + 3, 13), notice(null, 14)]) {
      expect((await post('wms', '/webhooks/wms', body, { 'x-wms-signature': signBody(body, stack.webhookSecret) })).status).toBe(202);
    }
    const received = await subscription.waitFor(3);
    expect(received.map((event) => event.data?.inventoryChanged.onHand)).toEqual([12, 13, 14]);
    subscription.complete();
  });

  it('refuses unsigned, badly signed and malformed notices, and keeps each in the exception store', async () => {
    const forged = JSON.stringify({ eventType: 'shipment.tracking_updated', eventId: 'forged-1', shipment: {} });
    const unsigned = JSON.stringify({ event: 'stock.movement', movement_id: 'unsigned-1' });
    const malformed = JSON.stringify({ event: 'stock.movement', movement_id: 'bad-1', movement_type: 'TELEPORT' });
    const answers = await Promise.all([
      post('shipping', '/webhooks/carrier', forged, { 'x-carrier-signature': signBody(forged, 'some-other-key-entirely') }),
      post('wms', '/webhooks/wms', unsigned, {}),
      post('wms', '/webhooks/wms', malformed, { 'x-wms-signature': signBody(malformed, stack.webhookSecret) }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([401, 401, 422]);
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { error: string }[]; // the webhook's JSON error
    expect(bodies.map((b) => b.error)).toEqual(['INVALID_SIGNATURE', 'MISSING_SIGNATURE', 'MALFORMED_NOTICE']);
    const store = await MongoExceptionStore.connect(stack.mongoUrl);
    try {
      const { items } = await store.list({ kinds: ['malformed-webhook'] }, { first: 50, after: null });
      const recorded = new Map(items.map((e) => [e.rawPayload, e]));
      expect(recorded.get(forged)).toEqual(expect.objectContaining({ subject: expect.stringMatching(/^carrier-notice:/), reason: expect.stringContaining('INVALID_SIGNATURE'), state: 'open' }));
      expect(recorded.get(unsigned)).toEqual(expect.objectContaining({ subject: expect.stringMatching(/^wms-notice:/), reason: expect.stringContaining('MISSING_SIGNATURE') }));
      expect(recorded.get(malformed)).toEqual(expect.objectContaining({ reason: expect.stringContaining('TELEPORT') }));
    } finally {
      await store.close();
    }
  });
});

describe('a Redis restart', () => {
  // Last in this file: the stack's Redis keeps nothing on disk, so history before the restart is gone.
  it('is ridden out: an open subscription receives what happens after it, without resubscribing', async () => {
    if (!stack.redis) throw new Error('the stack runs without a Redis of its own');
    const wms = await connect('wms');
    const subscription = wms.subscribe<{ inventoryChanged: Position }>(INVENTORY, { skus: ['SKU-00017'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await adjust('SKU-00017', 'WH-EAST', 1);
    await subscription.waitFor(1);
    await stack.redis.restart();
    // The WMS retries a notice the subgraph could not store (503) while it reconnects.
    await adjust('SKU-00017', 'WH-EAST', 1);
    const events = await subscription.waitFor(2, 30_000);
    expect(events.map((e) => e.data?.inventoryChanged.sku)).toEqual(['SKU-00017', 'SKU-00017']);
    expect(events[1]?.extensions?.cursor).not.toBe(events[0]?.extensions?.cursor);
  }, 60_000);
});
