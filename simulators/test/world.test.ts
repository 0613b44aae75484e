import { describe, expect, it } from '@jest/globals';
import { CHANNELS, ORDER_STATUSES, SHIPMENT_STATUSES } from '@crossdock/model';
import { WORLD_EPOCH_MS, WORLD_SPAN_MS, generateWorld } from '../src/world';

describe('seeded world', () => {
  const world = generateWorld();

  it('is the same on every generation', () => {
    expect(generateWorld()).toEqual(world);
  });

  it('is at least as large as the contract promises', () => {
    expect(world.warehouses.length).toBeGreaterThanOrEqual(3);
    expect(world.products).toHaveLength(200);
    expect(world.customers).toHaveLength(50);
    expect(world.orders).toHaveLength(500);
    expect(new Set(world.orders.map((o) => o.channel))).toEqual(new Set(CHANNELS));
    expect(world.customers.filter((c) => c.onHold).length).toBeGreaterThanOrEqual(2);
    expect(world.products.some((p) => !p.sellable)).toBe(true);
  });

  it('has orders in every status and shipments in every status', () => {
    expect(new Set(world.orders.map((o) => o.status))).toEqual(new Set(ORDER_STATUSES));
    expect(new Set(world.shipments.map((s) => s.status))).toEqual(new Set(SHIPMENT_STATUSES));
  });

  it('keeps orders, ERP totals, fulfillments, parcels and invoices consistent', () => {
    const customers = new Map(world.customers.map((c) => [c.id, c]));
    const fulfillments = new Map(world.fulfillments.map((f) => [f.orderId, f]));
    const invoiced = new Set(world.invoices.map((i) => i.orderId));
    const shipped = new Set(world.shipments.map((s) => s.orderId));
    for (const order of world.orders) {
      expect(order.totalCents).toBe(order.lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0));
      expect(WORLD_EPOCH_MS - order.placedAtMs).toBeLessThanOrEqual(WORLD_SPAN_MS);
      if (order.status === 'ON_HOLD') expect(customers.get(order.customerId)?.onHold).toBe(true);
      const fulfillment = fulfillments.get(order.id);
      const allocated = (fulfillment?.allocations ?? []).reduce((sum, a) => sum + a.quantity, 0);
      const ordered = order.lines.reduce((sum, l) => sum + l.quantity, 0);
      const open = ['ACCEPTED', 'ON_HOLD', 'CANCELLED'].includes(order.status);
      expect(allocated).toBe(open ? 0 : ordered);
      expect(invoiced.has(order.id)).toBe(order.status === 'SHIPPED' || order.status === 'DELIVERED');
      if (open) expect(shipped.has(order.id)).toBe(false);
    }
  });

  it('stocks each SKU in 2–4 warehouses with reservations covered by stock on hand', () => {
    const perSku = new Map<string, number>();
    for (const p of world.positions) {
      perSku.set(p.sku, (perSku.get(p.sku) ?? 0) + 1);
      expect(p.reserved).toBeLessThanOrEqual(p.onHand);
    }
    expect([...perSku.values()].every((n) => n >= 2 && n <= 4)).toBe(true);
    expect(perSku.size).toBe(200);
  });

  it('tells each parcel story in time order, before the epoch', () => {
    for (const s of world.shipments) {
      const times = s.events.map((e) => e.atMs);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(s.events[s.events.length - 1]?.status).toBe(s.status);
      expect(Math.max(...times)).toBeLessThan(WORLD_EPOCH_MS);
    }
  });
});
