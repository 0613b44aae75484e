import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CommerceHttpConnector } from '@crossdock/connectors';
import type { Order, OrderQuery } from '@crossdock/model';
import { startCommerceSimulator, type RunningSimulator } from '../src/index';
import { generateWorld, type WorldOrder } from '../src/world';
import { resetStats, stats } from './support';

const world = generateWorld();

function canonical(o: WorldOrder): Order {
  return {
    id: o.id,
    channel: o.channel,
    externalRef: o.externalRef,
    status: o.status,
    placedAt: new Date(o.placedAtMs).toISOString(),
    customerId: o.customerId,
    lines: o.lines.map((l) => ({ orderId: o.id, lineNumber: l.lineNumber, sku: l.sku, quantity: l.quantity })),
  };
}

const newestFirst = [...world.orders].sort((a, b) => b.placedAtMs - a.placedAtMs || b.commerceId - a.commerceId);

describe('CommerceHttpConnector against the commerce simulator', () => {
  let sim: RunningSimulator;
  let commerce: CommerceHttpConnector;

  beforeAll(async () => {
    sim = await startCommerceSimulator({ port: 0 });
    commerce = new CommerceHttpConnector({ baseUrl: sim.url });
  });
  afterAll(async () => {
    await commerce.close();
    await sim.close();
  });
  beforeEach(() => resetStats(sim.url));

  it('translates an order: hub id from the name, store time to UTC, status vocabulary', async () => {
    const order = world.orders.find((o) => o.status === 'PARTIALLY_SHIPPED' && o.lines.length > 1);
    if (!order) throw new Error('no multi-line partially shipped order');
    const [found] = await commerce.ordersByIds([order.id]);
    expect(found).toEqual(canonical(order));
  });

  it('aligns 100 ids (beyond the store default limit) in one request, null for unknown', async () => {
    const ids = [...world.orders.slice(0, 99).map((o) => o.id).reverse(), 'ORD-NOPE'];
    const result = await commerce.ordersByIds(ids);
    expect(result.map((o) => o?.id ?? null)).toEqual([...ids.slice(0, 99), null]);
    expect((await stats(sim.url)).requests).toEqual({ 'GET /admin/api/2026-01/orders.json': 1 });
  });

  it('pages a filtered list newest first, one request per page, with an exclusive upper bound', async () => {
    const pivot = newestFirst[100];
    const floor = newestFirst[400];
    if (!pivot || !floor) throw new Error('too few orders');
    const query: OrderQuery = {
      channel: 'edi',
      status: ['SHIPPED', 'DELIVERED'],
      placedAfter: new Date(floor.placedAtMs).toISOString(),
      placedBefore: new Date(pivot.placedAtMs).toISOString(),
    };
    const expected = newestFirst
      .filter((o) => o.channel === 'edi' && (o.status === 'SHIPPED' || o.status === 'DELIVERED'))
      .filter((o) => o.placedAtMs >= floor.placedAtMs && o.placedAtMs < pivot.placedAtMs)
      .map(canonical);
    const seen: Order[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await commerce.listOrders(query, { first: 7, after });
      seen.push(...page.items);
      after = page.nextCursor;
      pages += 1;
    } while (after !== null);
    expect(expected.length).toBeGreaterThan(14);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
    expect((await stats(sim.url)).total).toBe(pages);
  });

  it('filters by customer', async () => {
    const customerId = world.orders[0]?.customerId ?? '';
    const page = await commerce.listOrders({ customerId }, { first: 100 });
    expect(page.items.map((o) => o.id)).toEqual(newestFirst.filter((o) => o.customerId === customerId).map((o) => o.id));
    expect(page.nextCursor).toBeNull();
  });
});
