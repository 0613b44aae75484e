import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import { startSubscriptionGraph, type SubscriptionGraph } from '../support/subscription-graph';
import { testToken } from '../support/test-gateway';
import { eventually, gatewayClient, probe } from '../support/ws-subscriber';

const READ = ['inventory:read', 'shipments:read', 'orders:read', 'customers:read'];

describe('gateway subscriptions: federated execution per event', () => {
  let graph: SubscriptionGraph;
  const clients: Client[] = [];
  const connect = async (options: { scopes?: string[]; customerId?: string } = {}): Promise<Client> => {
    const client = gatewayClient(graph.wsUrl, await testToken({ scopes: options.scopes ?? READ, ...(options.customerId ? { customerId: options.customerId } : {}) }));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    graph = await startSubscriptionGraph();
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

  it('resolves fields of another subgraph for every inventory event and passes the cursor on', async () => {
    const sub = probe(await connect(), 'subscription { inventoryChanged(skus: ["SKU-1", "SKU-2"]) { sku onHand product { name } } }');
    await eventually(() => graph.stock.stats.subscribes > baseline.stock, 5_000, 'the upstream subscription');
    const first = graph.stockEvents.append({ sku: 'SKU-1', warehouseId: 'W-1', onHand: 5 });
    graph.stockEvents.append({ sku: 'SKU-9', warehouseId: 'W-1', onHand: 1 }); // not asked for
    const third = graph.stockEvents.append({ sku: 'SKU-2', warehouseId: 'W-2', onHand: 0 });
    await sub.waitForEvents(2);
    expect(sub.events).toEqual([
      { data: { inventoryChanged: { sku: 'SKU-1', onHand: 5, product: { name: 'Product SKU-1' } } }, extensions: { cursor: first } },
      { data: { inventoryChanged: { sku: 'SKU-2', onHand: 0, product: { name: 'Product SKU-2' } } }, extensions: { cursor: third } },
    ]);
  });

  it('resolves a shipment event through two more subgraphs: order, then customer', async () => {
    const sub = probe(await connect(), 'subscription Track($order: ID) { shipmentUpdated(orderId: $order) { id status order { id customer { name } } } }', { order: 'O-2' });
    await eventually(() => graph.parcels.stats.subscribes > baseline.parcels, 5_000, 'the upstream subscription');
    graph.parcelEvents.append({ id: 'S-1', orderId: 'O-1', status: 'PICKED_UP', customerId: 'C-1' });
    graph.parcelEvents.append({ id: 'S-2', orderId: 'O-2', status: 'IN_TRANSIT', customerId: 'C-2' });
    await sub.waitForEvents(1);
    expect(sub.events[0]?.data).toEqual({ shipmentUpdated: { id: 'S-2', status: 'IN_TRANSIT', order: { id: 'O-2', customer: { name: 'Bolt Supplies' } } } });
  });

  it('shares one upstream subscription and one entity fetch per event between clients asking the same', async () => {
    const query = 'subscription { inventoryChanged(skus: ["SKU-5"]) { sku product { name } } }';
    const subscribesBefore = graph.stock.stats.subscribes;
    const a = probe(await connect(), query);
    const b = probe(await connect(), query);
    // A third client with other arguments needs an upstream subscription of its own.
    const c = probe(await connect(), 'subscription { inventoryChanged(skus: ["SKU-6"]) { sku product { name } } }');
    await eventually(() => graph.gateway.subscriptions.stats().subscribers === 3, 5_000, 'three subscribers');
    await eventually(() => graph.stock.stats.subscribes - subscribesBefore === 2, 5_000, 'two upstream subscriptions');
    graph.productLookups.length = 0;
    graph.stockEvents.append({ sku: 'SKU-5', warehouseId: 'W-1', onHand: 3 });
    graph.stockEvents.append({ sku: 'SKU-6', warehouseId: 'W-1', onHand: 4 });
    await Promise.all([a.waitForEvents(1), b.waitForEvents(1), c.waitForEvents(1)]);
    expect(a.events).toEqual(b.events);
    expect(a.events[0]?.data).toEqual({ inventoryChanged: { sku: 'SKU-5', product: { name: 'Product SKU-5' } } });
    expect(c.events[0]?.data).toEqual({ inventoryChanged: { sku: 'SKU-6', product: { name: 'Product SKU-6' } } });
    // Per event, the rest of the plan ran once per group, not once per subscriber.
    expect(graph.productLookups.sort()).toEqual(['SKU-5', 'SKU-6']);
    expect(graph.stock.stats.subscribes - subscribesBefore).toBe(2);
    expect(graph.gateway.subscriptions.stats()).toMatchObject({ upstreamSubscriptions: 2, groups: 2, subscribers: 3 });
  });

  it('answers an event whose entity fetch fails with an error, and goes on with the next ones', async () => {
    const sub = probe(await connect(), 'subscription { inventoryChanged(skus: ["SKU-F"]) { sku product { name } } }');
    await eventually(() => graph.stock.stats.subscribes > baseline.stock, 5_000, 'the upstream subscription');
    await graph.catalog.stop();
    graph.stockEvents.append({ sku: 'SKU-F', warehouseId: 'W-1', onHand: 1 });
    await sub.waitForEvents(1);
    await graph.catalog.start();
    graph.stockEvents.append({ sku: 'SKU-F', warehouseId: 'W-1', onHand: 2 });
    await sub.waitForEvents(2);
    expect(sub.events[0]?.data).toBeNull();
    expect(sub.events[0]?.errors).toEqual([expect.objectContaining({ message: expect.any(String), extensions: expect.objectContaining({ code: expect.any(String) }) })]);
    expect(sub.events[1]?.data).toEqual({ inventoryChanged: { sku: 'SKU-F', product: { name: 'Product SKU-F' } } });
    expect(sub.failure).toBeNull();
  });

  it('refuses a subscription without its scope, and completes forbidden nested fields with FORBIDDEN per event', async () => {
    const refused = probe(await connect({ scopes: ['orders:read'] }), 'subscription { inventoryChanged { sku } }');
    await refused.waitForEnd();
    expect(refused.failure).toEqual([expect.objectContaining({ message: expect.stringContaining('inventory:read'), extensions: { code: 'FORBIDDEN' } })]);

    const partial = probe(await connect({ scopes: ['shipments:read', 'orders:read'] }), 'subscription { shipmentUpdated(orderId: "O-3") { id order { customer { name } } } }');
    await eventually(() => graph.parcels.stats.subscribes > baseline.parcels, 5_000, 'the upstream subscription');
    graph.parcelEvents.append({ id: 'S-3', orderId: 'O-3', status: 'DELIVERED', customerId: 'C-1' });
    await partial.waitForEvents(1);
    expect(partial.events[0]?.data).toEqual({ shipmentUpdated: { id: 'S-3', order: { customer: { name: null } } } });
    expect(partial.events[0]?.errors).toEqual([
      expect.objectContaining({ path: ['shipmentUpdated', 'order', 'customer', 'name'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    ]);
  });

  it('applies the caller\'s class limits to a subscription before anything is subscribed', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: sku`).join(' ');
    const portal = await connect({ customerId: 'C-1' });
    const tooWide = probe(portal, `subscription { inventoryChanged { ${aliases} } }`);
    const misspelt = probe(portal, 'subscription { inventoryChanged { skus } }');
    await Promise.all([tooWide.waitForEnd(), misspelt.waitForEnd()]);
    expect(tooWide.failure).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'TOO_MANY_ALIASES' }) })]);
    // Portals get no "Did you mean …?" hints.
    expect(misspelt.failure).toEqual([expect.objectContaining({ message: 'Cannot query field "skus" on type "InventoryPosition".' })]);
    expect(graph.stock.stats.subscribes).toBe(baseline.stock);
  });

  it('answers invalid operations and queries with an error message, and a bad token by closing with 4403', async () => {
    const client = await connect();
    const invalid = probe(client, 'subscription { inventoryChanged { nope } }');
    const query = probe(client, '{ product(sku: "SKU-1") { name } }');
    await Promise.all([invalid.waitForEnd(), query.waitForEnd()]);
    expect(invalid.failure).toEqual([expect.objectContaining({ message: expect.stringContaining('nope') })]);
    expect(query.failure).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);

    const stranger = gatewayClient(graph.wsUrl, 'not-a-token');
    clients.push(stranger);
    const denied = probe(stranger, 'subscription { inventoryChanged { sku } }');
    await denied.waitForEnd();
    expect(denied.failure).toEqual({ code: 4403, reason: expect.stringContaining('Forbidden') });
  });
});
