import { moneyFromMinorUnits } from '@crossdock/model';
import { generateWorld, type World } from '@crossdock/simulators';
import {
  readSimulatorStats,
  resetSimulatorStats,
  startHubStack,
  SUBGRAPHS,
  UNIFIED_ORDER_VIEW,
  type HubStack,
  type OrderViewResult,
} from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const usd = (cents: number) => moneyFromMinorUnits(cents, 'USD');

describe('unified order view through the gateway (real processes)', () => {
  let hub: HubStack;
  let world: World;

  beforeAll(async () => {
    world = generateWorld();
    hub = await startHubStack();
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('answers 20 orders with fields from all four subgraphs, matching every backend', async () => {
    const { status, body } = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, { first: 20 });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.orders.edges.map((e) => e.node);
    expect(nodes).toHaveLength(20);

    const newestFirst = [...world.orders].sort((a, b) => b.placedAtMs - a.placedAtMs);
    expect(nodes.map((n) => n.id)).toEqual(newestFirst.slice(0, 20).map((o) => o.id));

    for (const node of nodes) {
      const order = world.orders.find((o) => o.id === node.id)!;
      const customer = world.customers.find((c) => c.id === order.customerId)!;
      // commerce
      expect(node).toMatchObject({ channel: order.channel, externalRef: order.externalRef, status: order.status });
      expect(node.placedAt).toBe(new Date(order.placedAtMs).toISOString());
      // erp
      expect(node.customer).toEqual({ id: customer.id, name: customer.name, onHold: customer.onHold, creditLimit: usd(customer.creditLimitCents) });
      expect(node.total).toEqual(usd(order.totalCents));
      expect(node.erpOrderNumber).toBe(order.erpOrderNumber);
      expect(node.erpPosting).toBe('POSTED');
      expect(node.lines.map((l) => [l.lineNumber, l.sku, l.quantity, l.unitPrice?.amount, l.product.name])).toEqual(
        order.lines.map((l) => [l.lineNumber, l.sku, l.quantity, usd(l.unitPriceCents).amount, world.products.find((p) => p.sku === l.sku)!.name]),
      );
      expect(node.invoices.map((i) => i.number).sort()).toEqual(world.invoices.filter((i) => i.orderId === order.id).map((i) => i.number).sort());
      // wms
      const fulfillment = world.fulfillments.find((f) => f.orderId === order.id);
      expect(node.fulfillmentStatus).toBe(fulfillment?.status ?? 'UNALLOCATED');
      expect(node.allocations.map((a) => [a.warehouse.id, a.sku, a.quantity])).toEqual(
        (fulfillment?.allocations ?? []).map((a) => [a.warehouseId, a.sku, a.quantity]),
      );
      for (const allocation of node.allocations) {
        expect(allocation.warehouse.name).toBe(world.warehouses.find((w) => w.id === allocation.warehouse.id)!.name);
      }
      // shipping
      const shipments = world.shipments.filter((s) => s.orderId === order.id);
      expect(node.shipments.map((s) => [s.id, s.status, s.trackingNumber, s.events.length]).sort()).toEqual(
        shipments.map((s) => [s.id, s.status, s.trackingNumber, s.events.length]).sort(),
      );
    }
  });

  it('costs one backend call per backend resource per client query (per 100 keys), never one per entity', async () => {
    const countCalls = async (first: number) => {
      await Promise.all(SUBGRAPHS.map((name) => resetSimulatorStats(hub.simulatorUrls[name])));
      const { body } = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, { first });
      expect(body.errors).toBeUndefined();
      expect(body.data!.orders.edges).toHaveLength(first);
      const stats = await Promise.all(SUBGRAPHS.map(async (name) => [name, (await readSimulatorStats(hub.simulatorUrls[name])).requests] as const));
      return Object.fromEntries(stats);
    };
    // What the backends must be asked for 50 orders, worked out from the seeded world: every
    // by-key lookup once per plan step that needs it, in chunks of at most 100 keys (the
    // backends' batch limit), never once per entity.
    const newest = [...world.orders].sort((a, b) => b.placedAtMs - a.placedAtMs).slice(0, 50);
    const skus = new Set(newest.flatMap((o) => o.lines.map((l) => l.sku)));
    const chunks = Math.ceil(skus.size / 100);
    const allocated = newest.some((o) => world.fulfillments.some((f) => f.orderId === o.id && f.allocations.length > 0));
    expect(await countCalls(50)).toEqual({
      commerce: { 'GET /admin/api/2026-01/orders.json': 1 },
      erp: {
        'GET /api/v2/customers': 1,
        'GET /api/v2/invoices': 1,
        'GET /api/v2/items': chunks,
        // Two fetches of the plan need sales orders (Order.total etc., and OrderLine.unitPrice);
        // fetches of one client query share the subgraph's DataLoaders, so the ERP is asked once.
        'GET /api/v2/salesorders': 1,
      },
      wms: {
        'POST /wms/v1/fulfillments/query': 1,
        'POST /wms/v1/stock/query': chunks,
        ...(allocated ? { 'GET /wms/v1/warehouses': 1 } : {}),
      },
      shipping: { 'POST /v1/shipments/search': 1 },
    });
    expect(chunks).toBe(2); // 50 orders reach past one 100-key batch: the chunking is exercised
    // With few keys, every lookup is a single call whatever the number of orders; and a second
    // query asks the backends again (nothing is shared between client requests).
    for (const few of [await countCalls(8), await countCalls(8)]) {
      for (const routes of Object.values(few)) {
        for (const [route, count] of Object.entries(routes)) expect([route, count]).toEqual([route, 1]);
      }
    }
  });
});
