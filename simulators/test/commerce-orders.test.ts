import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CommerceHttpConnector } from '@crossdock/connectors';
import type { Order } from '@crossdock/model';
import { startCommerceSimulator, type RunningSimulator } from '../src/index';
import { generateWorld } from '../src/world';
import { backendFailure, getJson, postJson } from './support';

const world = generateWorld();
const ORDERS = '/admin/api/2026-01/orders.json';
const customerId = world.customers[4]?.id ?? '';
const fulfilled = world.orders.find((o) => o.status === 'SHIPPED');
const open = world.orders.find((o) => o.status === 'ACCEPTED');
if (!fulfilled || !open) throw new Error('the world lacks a shipped or an accepted order');

function hubOrder(id: string, overrides: Partial<Order> = {}): Order {
  return {
    id,
    channel: 'b2b-portal',
    externalRef: 'B2B-778899',
    status: 'ACCEPTED',
    // After every seeded order, with milliseconds: the store must give back exactly the hub's time.
    placedAt: '2026-11-26T10:04:05.123Z',
    customerId,
    lines: [
      { orderId: id, lineNumber: 1, sku: 'SKU-00010', quantity: 2 },
      { orderId: id, lineNumber: 2, sku: 'SKU-00020', quantity: 7 },
    ],
    ...overrides,
  };
}

describe('commerce order capture and cancel through the connector', () => {
  let sim: RunningSimulator;
  let commerce: CommerceHttpConnector;
  const raw = async (name: string) => (await getJson(`${sim.url}${ORDERS}?names=${name}`)).body;

  beforeAll(async () => {
    sim = await startCommerceSimulator();
    commerce = new CommerceHttpConnector({ baseUrl: sim.url });
  });
  afterAll(async () => {
    await commerce.close();
    await sim.close();
  });
  beforeEach(async () => {
    await postJson(`${sim.url}/_admin/reset`);
  });

  it('records an order once, reads it back exactly, and lists it newest first', async () => {
    const order = hubOrder('HUB-1');
    await commerce.createOrder(order);
    await commerce.createOrder(hubOrder('HUB-1', { lines: [{ orderId: 'HUB-1', lineNumber: 1, sku: 'SKU-00099', quantity: 1 }] }));
    expect(await commerce.ordersByIds(['HUB-1'])).toEqual([order]);
    const page = await commerce.listOrders({ customerId }, { first: 250 });
    expect(page.items.filter((o) => o.id === 'HUB-1')).toHaveLength(1);
    expect(page.items[0]).toEqual(order);

    const rows = await raw('HUB-1');
    expect(rows).toMatchObject({ orders: [{ id: expect.any(Number), name: 'HUB-1', status: 'open', line_items: [{ price: null }, { price: null }] }] });
    const envelope = { order: { name: 'HUB-1', source_name: 'web', customer: { id: customerId }, line_items: [{ sku: 'X', quantity: 1 }], created_at: '2026-11-01T00:00:00Z' } };
    expect(await postJson(`${sim.url}${ORDERS}`, envelope)).toMatchObject({ status: 200, body: { order: { name: 'HUB-1', source_name: 'b2b-portal' } } });
  });

  it('keeps a missing channel reference and the order status, and numbers new orders after the seeded ones', async () => {
    const order = hubOrder('HUB-2', { externalRef: null, status: 'ON_HOLD' });
    await commerce.createOrder(order);
    expect(await commerce.ordersByIds(['HUB-2'])).toEqual([order]);
    const created = await postJson(`${sim.url}${ORDERS}`, {
      order: { name: 'HUB-3', source_name: 'web', customer: { id: customerId }, line_items: [{ sku: 'SKU-00001', quantity: 1, price: '12.50' }], created_at: '2026-11-01T00:00:00-05:00' },
    });
    const maxSeeded = Math.max(...world.orders.map((o) => o.commerceId));
    expect(created).toMatchObject({ status: 201, body: { order: { id: maxSeeded + 14, created_at: '2026-11-01T00:00:00-05:00', line_items: [{ price: '12.50' }] } } });
  });

  it('cancels idempotently, keeping the reason as the staff note', async () => {
    await commerce.createOrder(hubOrder('HUB-C'));
    await commerce.cancelOrder('HUB-C', 'customer called');
    await commerce.cancelOrder('HUB-C', 'again');
    expect((await commerce.ordersByIds(['HUB-C']))[0]?.status).toBe('CANCELLED');
    expect(await raw('HUB-C')).toMatchObject({ orders: [{ status: 'cancelled', cancel_reason: 'other', note: 'customer called', cancelled_at: expect.any(String) }] });
    await commerce.cancelOrder(open.id, null);
    expect((await commerce.ordersByIds([open.id]))[0]?.status).toBe('CANCELLED');
  });

  it('refuses to cancel a fulfilled order or one it never had, and refuses unknown customers', async () => {
    const error = await backendFailure(commerce.cancelOrder(fulfilled.id, null));
    expect(error).toMatchObject({ backend: 'commerce', kind: 'client-error', status: 422, code: 'base' });
    expect(error.message).toContain('Cannot cancel an order that has been fulfilled');
    expect(await backendFailure(commerce.cancelOrder('HUB-NEVER', null))).toMatchObject({ kind: 'client-error', status: 404 });
    const unknown = await backendFailure(commerce.createOrder(hubOrder('HUB-U', { customerId: 'CUST-9999' })));
    expect(unknown).toMatchObject({ status: 422, code: 'customer' });
    expect(unknown.message).toContain('CUST-9999 does not exist');
    expect(await commerce.ordersByIds(['HUB-U'])).toEqual([null]);
  });

  it('answers malformed orders and cancels with 400 and the field at fault', async () => {
    const order = { name: 'HUB-B', source_name: 'web', customer: { id: customerId }, line_items: [{ sku: 'SKU-00001', quantity: 1 }], created_at: '2026-11-01T00:00:00Z' };
    const cases: [unknown, string][] = [
      [{}, 'order'],
      [{ order: { ...order, name: '' } }, 'name'],
      [{ order: { ...order, line_items: [] } }, 'line_items'],
      [{ order: { ...order, line_items: [{ sku: 'SKU-00001', quantity: 1.5 }] } }, 'line_items'],
      [{ order: { ...order, line_items: [{ sku: 'SKU-00001', quantity: 1, price: 12.5 }] } }, 'line_items'],
      [{ order: { ...order, created_at: 'yesterday' } }, 'created_at'],
      [{ order: { ...order, status: 'lost' } }, 'status'],
      [{ order: { ...order, customer: 'C1' } }, 'customer'],
    ];
    for (const [body, field] of cases) {
      expect(await postJson(`${sim.url}${ORDERS}`, body)).toMatchObject({ status: 400, body: { errors: { [field]: [expect.any(String)] } } });
    }
    const id = open.commerceId;
    expect(await postJson(`${sim.url}/admin/api/2026-01/orders/${id}/cancel.json`, { reason: 'bored' })).toMatchObject({ status: 400, body: { errors: { reason: [expect.any(String)] } } });
    expect((await postJson(`${sim.url}/admin/api/2026-01/orders/abc/cancel.json`)).status).toBe(404);
    expect((await commerce.ordersByIds(['HUB-B', open.id])).map((o) => o?.status ?? null)).toEqual([null, 'ACCEPTED']);
  });

  it('restores the seeded orders on reset', async () => {
    await commerce.createOrder(hubOrder('HUB-R'));
    await commerce.cancelOrder(open.id, null);
    await postJson(`${sim.url}/_admin/reset`);
    expect((await commerce.ordersByIds(['HUB-R', open.id])).map((o) => o?.status ?? null)).toEqual([null, 'ACCEPTED']);
  });
});
