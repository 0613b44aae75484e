import { setSimulatorFault, startHubStack, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  assertNoErrors,
  availability,
  cheapSkus,
  erpPostings,
  eventually,
  freshKey,
  goodCustomer,
  place,
  setAvailable,
  world,
} from './support/order-capture-kit';

const WRITE_SCOPES = ['orders:write', 'orders:read', 'inventory:read', 'pricing:read', 'customers:read'];

describe('placeOrder and cancelOrder through two gateway replicas (real Redis, FerretDB, processes)', () => {
  let hub: HubStack;
  let writer: string;
  const skus = cheapSkus();
  const customerId = goodCustomer();

  beforeAll(async () => {
    hub = await startHubStack({ replicas: 2 });
    writer = await hub.token({ scopes: WRITE_SCOPES });
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('accepts a valid order: reserved, posted to the ERP, priced by the ERP', async () => {
    const sku = skus[0]!;
    const before = await availability(hub, sku);
    const answer = await place(hub.query, writer, { idempotencyKey: freshKey('ok'), channel: 'web', customerId, externalRef: 'PO-1', lines: [{ sku, quantity: 2 }] });
    expect(answer.errors).toEqual([]);
    const order = answer.order!;
    expect(order).toMatchObject({ status: 'ACCEPTED', channel: 'web', externalRef: 'PO-1', erpPosting: 'POSTED' });
    expect(order.erpOrderNumber).toMatch(/^SO-/);
    expect(order.allocations.reduce((sum, a) => sum + a.quantity, 0)).toBe(2);
    const discount = world.customers.find((c) => c.id === customerId)!.discountPercent;
    const list = world.products.find((p) => p.sku === sku)!.listPriceCents;
    expect(Number(order.lines[0]!.unitPrice!.amount)).toBeCloseTo((list * (100 - discount)) / 10_000, 2);
    expect((await availability(hub, sku)).total).toBe(before.total - 2);
    expect(await erpPostings(hub, order.id)).toMatchObject({ salesOrders: 1 });
  });

  it('reports every problem of a request at once, with codes and field paths', async () => {
    const answer = await place(hub.query, writer, {
      idempotencyKey: freshKey('bad'),
      channel: 'web',
      customerId: 'CUST-9999',
      lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }, { sku: skus[1]!, quantity: 0 }],
    });
    expect(answer.order).toBeNull();
    expect(answer.errors.map((e) => [e.code, e.field])).toEqual(
      expect.arrayContaining([
        ['UNKNOWN_CUSTOMER', ['customerId']],
        ['UNKNOWN_SKU', ['lines', '0', 'sku']],
        ['INVALID_QUANTITY', ['lines', '1', 'quantity']],
      ]),
    );
  });

  it('refuses customers on credit hold and orders over the credit limit', async () => {
    const held = world.customers.find((c) => c.onHold)!;
    const hold = await place(hub.query, writer, { idempotencyKey: freshKey('hold'), channel: 'b2b-portal', customerId: held.id, lines: [{ sku: skus[2]!, quantity: 1 }] });
    expect(hold.errors.map((e) => [e.code, e.field])).toEqual([['CREDIT_HOLD', ['customerId']]]);

    const tight = world.customers.filter((c) => !c.onHold).sort((a, b) => a.creditLimitCents - a.creditUsedCents - (b.creditLimitCents - b.creditUsedCents))[0]!;
    const pricey = world.products.filter((p) => p.sellable).sort((a, b) => b.listPriceCents - a.listPriceCents)[0]!;
    const room = tight.creditLimitCents - tight.creditUsedCents;
    const quantity = Math.floor(room / pricey.listPriceCents) + 2;
    await setAvailable(hub, pricey.sku, quantity + 5);
    const over = await place(hub.query, writer, { idempotencyKey: freshKey('limit'), channel: 'b2b-portal', customerId: tight.id, lines: [{ sku: pricey.sku, quantity }] });
    expect(over.order).toBeNull();
    expect(over.errors.map((e) => e.code)).toContain('CREDIT_LIMIT_EXCEEDED');
  });

  it('returns the first answer for a repeated idempotency key, whatever the repeat says', async () => {
    const sku = skus[3]!;
    const key = freshKey('idem');
    const first = await place(hub.query, writer, { idempotencyKey: key, channel: 'marketplace', customerId, lines: [{ sku, quantity: 1 }] });
    const afterFirst = await availability(hub, sku);
    const second = await place(hub.replicas[1]!.query, writer, { idempotencyKey: key, channel: 'marketplace', customerId, lines: [{ sku, quantity: 7 }] });
    expect(second.order!.id).toBe(first.order!.id);
    expect(second.order!.lines).toEqual(first.order!.lines);
    expect((await availability(hub, sku)).total).toBe(afterFirst.total);
    expect((await erpPostings(hub, first.order!.id)).salesOrders).toBe(1);
  });

  it('creates one order when the same key races through both gateways', async () => {
    const key = freshKey('race-key');
    const input = { idempotencyKey: key, channel: 'web', customerId, lines: [{ sku: skus[4]!, quantity: 1 }] };
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => place(hub.replicas[i % 2]!.query, writer, input)));
    const ids = new Set(answers.map((a) => a.order?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeDefined();
    expect((await erpPostings(hub, [...ids][0]!)).salesOrders).toBe(1);
  });

  it('never oversells: many more racing orders than stock, across both gateways', async () => {
    const sku = skus[5]!;
    await setAvailable(hub, sku, 15);
    const answers = await Promise.all(
      Array.from({ length: 48 }, (_, i) =>
        place(hub.replicas[i % 2]!.query, writer, { idempotencyKey: freshKey('oversell'), channel: 'web', customerId, lines: [{ sku, quantity: 1 }] }),
      ),
    );
    const accepted = answers.filter((a) => a.order);
    const refused = answers.filter((a) => !a.order);
    expect(accepted).toHaveLength(15);
    for (const answer of refused) expect(answer.errors.map((e) => [e.code, e.field])).toEqual([['INSUFFICIENT_STOCK', ['lines', '0', 'quantity']]]);
    const after = await availability(hub, sku);
    expect(after.total).toBe(0);
    const reserved = [...after.byWarehouse.values()].reduce((sum, p) => sum + p.reserved, 0);
    const before = world.positions.filter((p) => p.sku === sku).reduce((sum, p) => sum + p.reserved, 0);
    expect(reserved - before).toBe(15);
  });

  it('reserves all lines of an order or none', async () => {
    const scarce = skus[6]!;
    const plenty = skus[7]!;
    await setAvailable(hub, scarce, 3);
    const plentyBefore = (await availability(hub, plenty)).total;
    const answer = await place(hub.query, writer, {
      idempotencyKey: freshKey('multi'),
      channel: 'edi',
      customerId,
      lines: [{ sku: plenty, quantity: 2 }, { sku: scarce, quantity: 4 }],
    });
    expect(answer.order).toBeNull();
    expect(answer.errors.map((e) => [e.code, e.field])).toEqual([['INSUFFICIENT_STOCK', ['lines', '1', 'quantity']]]);
    expect((await availability(hub, plenty)).total).toBe(plentyBefore);
    expect((await availability(hub, scarce)).total).toBe(3);
  });

  it('cancels: stock comes back; a shipped order cannot be cancelled', async () => {
    const sku = skus[8]!;
    const before = (await availability(hub, sku)).total;
    const placed = await place(hub.query, writer, { idempotencyKey: freshKey('cancel'), channel: 'web', customerId, lines: [{ sku, quantity: 3 }] });
    expect((await availability(hub, sku)).total).toBe(before - 3);
    const cancel = /* GraphQL */ 'mutation($id: ID!) { cancelOrder(id: $id, reason: "customer asked") { order { id status } errors { code field } } }';
    const { body } = await hub.query<{ cancelOrder: { order: { status: string } | null; errors: { code: string }[] } }>(cancel, { id: placed.order!.id }, writer);
    assertNoErrors(body);
    expect(body.data!.cancelOrder).toEqual({ order: { id: placed.order!.id, status: 'CANCELLED' }, errors: [] });
    expect((await availability(hub, sku)).total).toBe(before);

    const shipped = world.orders.find((o) => o.status === 'SHIPPED')!;
    const refused = await hub.query<{ cancelOrder: { order: unknown; errors: { code: string; field: string[] }[] } }>(cancel, { id: shipped.id }, writer);
    expect(refused.body.data!.cancelOrder.order).toBeNull();
    expect(refused.body.data!.cancelOrder.errors[0]!.code).toBe('NOT_CANCELLABLE');
  });

  it('needs orders:write, and a channel token may only order for its channel', async () => {
    const reader = await hub.token({ scopes: ['orders:read'] });
    const { body } = await hub.query(
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code } } }',
      { input: { idempotencyKey: freshKey('scope'), channel: 'web', customerId, lines: [{ sku: skus[9]!, quantity: 1 }] } },
      reader,
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const store = await hub.token({ scopes: WRITE_SCOPES, channel: 'web' });
    const mismatch = await place(hub.query, store, { idempotencyKey: freshKey('chan'), channel: 'marketplace', customerId, lines: [{ sku: skus[9]!, quantity: 1 }] });
    expect(mismatch.errors.map((e) => [e.code, e.field])).toEqual([['CHANNEL_MISMATCH', ['channel']]]);
  });

  it('takes orders while the ERP is down and posts each exactly once when it is back', async () => {
    const sku = skus[11]!;
    const gateway = hub.replicas[1]!;
    // A first order while the ERP is up leaves fresh reference data (customer, prices) behind.
    await place(gateway.query, writer, { idempotencyKey: freshKey('warm'), channel: 'web', customerId, lines: [{ sku, quantity: 1 }] });
    await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'down' });
    try {
      const answers = await Promise.all(
        [1, 2, 3].map((n) => place(gateway.query, writer, { idempotencyKey: freshKey('erp-down'), channel: 'web', customerId, lines: [{ sku, quantity: n }] })),
      );
      for (const answer of answers) {
        expect(answer.errors).toEqual([]);
        expect(answer.order).toMatchObject({ status: 'ACCEPTED', erpPosting: 'QUEUED', erpOrderNumber: null });
      }
      await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'none' });
      for (const { order } of answers) {
        const posted = await eventually(`the posting of ${order!.id} marked POSTED`, async () => {
          const { body } = await gateway.query<{ order: { erpPosting: string; erpOrderNumber: string | null } }>(
            'query($id: ID!) { order(id: $id) { erpPosting erpOrderNumber } }',
            { id: order!.id },
            writer,
          );
          return body.data?.order.erpPosting === 'POSTED' ? body.data.order : null;
        });
        expect(posted.erpOrderNumber).toMatch(/^SO-/);
        expect((await erpPostings(hub, order!.id)).salesOrders).toBe(1);
      }
    } finally {
      await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'none' });
    }
  });

  it('loses nothing when the process dies between the outbox write and the ERP call', async () => {
    await hub.restartCommerce(0, { CROSSDOCK_CRASH_AFTER_OUTBOX_WRITE: '1' });
    const input = { idempotencyKey: freshKey('crash'), channel: 'web', customerId, lines: [{ sku: skus[10]!, quantity: 1 }] };
    const crashed = await hub.query<{ placeOrder: unknown }>(
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code } } }',
      { input },
      writer,
    );
    expect(crashed.body.data?.placeOrder ?? null).toBeNull(); // the client never got an answer
    await hub.restartCommerce(0);
    // The retry with the same key finds the stored order; the outbox posts it exactly once.
    const retried = await place(hub.query, writer, input);
    const orderId = retried.order!.id;
    // The outbox marks the posting after the ERP answered; wait for the mark, not just the ERP.
    const posted = await eventually('the posting marked POSTED', async () => {
      const { body } = await hub.query<{ order: { erpPosting: string; erpOrderNumber: string | null } }>(
        'query($id: ID!) { order(id: $id) { erpPosting erpOrderNumber } }',
        { id: orderId },
        writer,
      );
      return body.data?.order.erpPosting === 'POSTED' ? body.data.order : null;
    });
    expect(posted.erpOrderNumber).toMatch(/^SO-/);
    expect((await erpPostings(hub, orderId)).salesOrders).toBe(1);
  });
});
