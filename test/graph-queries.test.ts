import { signDevToken } from '@crossdock/auth';
import { moneyFromMinorUnits } from '@crossdock/model';
import { generateWorld, type World } from '@crossdock/simulators';
import { startHubStack, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

describe('contract queries through the gateway (real processes)', () => {
  let hub: HubStack;
  let world: World;

  beforeAll(async () => {
    world = generateWorld();
    hub = await startHubStack();
  });

  afterAll(async () => {
    await hub?.stop();
  });

  /** Follows endCursor until the last page; returns every node in order. */
  async function walk<T>(query: string, pick: (data: unknown) => Connection<T>, variables: Record<string, unknown>): Promise<T[]> {
    const nodes: T[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const { body } = await hub.query(query, { ...variables, after });
      expect(body.errors).toBeUndefined();
      const connection = pick(body.data);
      nodes.push(...connection.edges.map((e) => e.node));
      if (!connection.pageInfo.hasNextPage) return nodes;
      after = connection.pageInfo.endCursor;
    }
    throw new Error('pagination did not end within 50 pages');
  }

  it('pages through all 200 products without gaps or duplicates', async () => {
    const products = await walk<{ sku: string }>(
      'query($after: String) { products(first: 37, after: $after) { edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }',
      (data) => (data as { products: Connection<{ sku: string }> }).products,
      {},
    );
    expect(products.map((p) => p.sku).sort()).toEqual(world.products.map((p) => p.sku).sort());
  });

  it('pages through filtered orders, newest first, exactly the matching set', async () => {
    const placedAfter = new Date(world.orders.map((o) => o.placedAtMs).sort((a, b) => a - b)[250]!).toISOString();
    const filter = { channel: 'edi', status: ['DELIVERED', 'SHIPPED'], placedAfter };
    const orders = await walk<{ id: string; placedAt: string; channel: string; status: string }>(
      'query($after: String, $filter: OrderFilter) { orders(first: 7, after: $after, filter: $filter) { edges { cursor node { id placedAt channel status } } pageInfo { hasNextPage endCursor } } }',
      (data) => (data as { orders: Connection<{ id: string; placedAt: string; channel: string; status: string }> }).orders,
      { filter },
    );
    const expected = world.orders.filter(
      (o) => o.channel === 'edi' && ['DELIVERED', 'SHIPPED'].includes(o.status) && o.placedAtMs >= Date.parse(placedAfter),
    );
    expect(expected.length).toBeGreaterThan(7); // more than one page, or the test proves nothing
    expect(orders.map((o) => o.id).sort()).toEqual(expected.map((o) => o.id).sort());
    const times = orders.map((o) => Date.parse(o.placedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('refuses a page size above 100 and a cursor from another list', async () => {
    const big = await hub.query('{ orders(first: 101) { edges { node { id } } } }');
    expect(big.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const products = await hub.query<{ products: Connection<{ sku: string }> }>('{ products(first: 2) { edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }');
    const foreign = products.body.data!.products.pageInfo.endCursor;
    const mixed = await hub.query('query($after: String) { orders(first: 2, after: $after) { edges { node { id } } } }', { after: foreign });
    expect(mixed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves a customer with their orders, and each order across subgraphs', async () => {
    const customer = world.customers.find((c) => world.orders.filter((o) => o.customerId === c.id).length >= 3)!;
    const { body } = await hub.query<{
      customer: { name: string; creditAvailable: { amount: string }; orders: Connection<{ id: string; total: { amount: string }; fulfillmentStatus: string; shipments: { id: string }[] }> };
    }>(
      'query($id: ID!) { customer(id: $id) { name creditAvailable { amount } orders(first: 3) { edges { cursor node { id total { amount } fulfillmentStatus shipments { id } } } pageInfo { hasNextPage endCursor } } } }',
      { id: customer.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.customer.name).toBe(customer.name);
    expect(body.data!.customer.creditAvailable.amount).toBe(moneyFromMinorUnits(customer.creditLimitCents - customer.creditUsedCents, 'USD').amount);
    const theirs = world.orders.filter((o) => o.customerId === customer.id).sort((a, b) => b.placedAtMs - a.placedAtMs);
    const nodes = body.data!.customer.orders.edges.map((e) => e.node);
    expect(nodes.map((n) => n.id)).toEqual(theirs.slice(0, 3).map((o) => o.id));
    expect(nodes.map((n) => n.total.amount)).toEqual(theirs.slice(0, 3).map((o) => moneyFromMinorUnits(o.totalCents, 'USD').amount));
  });

  it('resolves a product with stock in every warehouse, and stock back to its product', async () => {
    const sku = world.products[17]!.sku;
    const positions = world.positions.filter((p) => p.sku === sku);
    const { body } = await hub.query<{
      product: { name: string; available: number; inventory: { warehouse: { id: string; name: string }; onHand: number; available: number; product: { name: string } }[] };
      inventory: { product: { sku: string; listPrice: { amount: string } } }[];
    }>(
      'query($sku: ID!) { product(sku: $sku) { name available inventory { warehouse { id name } onHand available product { name } } } inventory(sku: $sku) { product { sku listPrice { amount } } } }',
      { sku },
    );
    expect(body.errors).toBeUndefined();
    const product = body.data!.product;
    expect(product.name).toBe(world.products[17]!.name);
    expect(product.inventory.map((i) => i.warehouse.id).sort()).toEqual(positions.map((p) => p.warehouseId).sort());
    const availableOf = (p: (typeof positions)[number]) => Math.max(0, p.onHand - p.reserved - p.safetyStock);
    expect(product.available).toBe(positions.reduce((sum, p) => sum + availableOf(p), 0));
    expect(product.inventory.every((i) => i.product.name === product.name)).toBe(true);
    expect(body.data!.inventory[0]!.product.listPrice.amount).toBe(moneyFromMinorUnits(world.products[17]!.listPriceCents, 'USD').amount);
  });

  it('resolves a shipment to its order and the order to its customer', async () => {
    const shipment = world.shipments.find((s) => s.status === 'IN_TRANSIT')!;
    const order = world.orders.find((o) => o.id === shipment.orderId)!;
    const { body } = await hub.query<{ shipment: { status: string; events: { status: string }[]; order: { id: string; customer: { name: string } } } }>(
      'query($id: ID!) { shipment(id: $id) { status events { status } order { id customer { name } } } }',
      { id: shipment.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.shipment).toEqual({
      status: 'IN_TRANSIT',
      events: shipment.events.map((e) => ({ status: e.status })),
      order: { id: order.id, customer: { name: world.customers.find((c) => c.id === order.customerId)!.name } },
    });
  });

  it('lists warehouses and answers available-to-promise', async () => {
    const { body } = await hub.query<{ warehouses: { id: string }[]; availableToPromise: { promisable: boolean; available: number; sources: { quantity: number }[] } }>(
      'query($sku: ID!) { warehouses { id } availableToPromise(sku: $sku, quantity: 1) { promisable available sources { quantity } } }',
      { sku: world.products[3]!.sku },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.warehouses.map((w) => w.id).sort()).toEqual(world.warehouses.map((w) => w.id).sort());
    const atp = body.data!.availableToPromise;
    expect(atp.promisable).toBe(atp.available >= 1);
    if (atp.promisable) expect(atp.sources.reduce((s, x) => s + x.quantity, 0)).toBe(1);
  });

  it('answers unknown ids with null, not an error', async () => {
    const { body } = await hub.query('{ order(id: "ORD-999999") { id } customer(id: "CUST-9999") { id } shipment(id: "nope") { id } product(sku: "NOPE") { sku } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ order: null, customer: null, shipment: null, product: null });
  });

  it.each([
    ['no token', async () => null],
    ['a forged token', async () => signDevToken({ secret: 'not-the-hub-secret-0123456789', subject: 'x', scopes: ['orders:read'] })],
    ['an expired token', async () => hub.token({ ttlSeconds: -300 })],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_case, makeToken) => {
    const token = await makeToken();
    const response = await fetch(`${hub.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: '{ warehouses { id } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[]; data?: unknown };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
  });

  it('is ready only when every subgraph answers', async () => {
    const ready = await fetch(`${hub.gatewayUrl}/ready`);
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as { checks: Record<string, string> };
    expect(report.checks).toEqual({ supergraph: 'loaded', erp: 'up', wms: 'up', commerce: 'up', shipping: 'up' });
  });
});
