import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Identity } from '@crossdock/auth';
import { money } from '@crossdock/model';
import { MemoryOrderStore, queuedPostings, type PlacedOrder } from '@crossdock/orders';
import { generateWorld } from '@crossdock/simulators';
import { startSubgraphHarness } from '@crossdock/testkit';
import { createErpContext } from '../src/context';
import { buildErpSchema } from '../src/server';
import { erpBackend, TEST_IDENTITY, type ErpHarness } from './harness';

const world = generateWorld();
const ENTITIES = (selection: string) => /* GraphQL */ `
  query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }
`;
const ORDER = '... on Order { id erpPosting erpOrderNumber total { amount } invoices { id } }';

/** Two customers who each have an invoiced order, in two different channels. */
const invoiced = world.orders.filter((o) => world.invoices.some((i) => i.orderId === o.id));
const orderA = invoiced[0]!;
const orderB = invoiced.find((o) => o.customerId !== orderA.customerId && o.channel !== orderA.channel)!;
const caller = (limits: Partial<Identity>): Identity => ({ ...TEST_IDENTITY, ...limits });
const customerA = caller({ customerId: orderA.customerId });
const channelA = caller({ channel: orderA.channel });

/** A hub-captured order of customer B not yet posted to the ERP: only the hub's order store knows it. */
const hubOrderB: PlacedOrder = {
  id: 'ORD-H20261126-ROWTEST1',
  idempotencyKey: `${orderB.channel}:row-test`,
  channel: orderB.channel,
  externalRef: null,
  customerId: orderB.customerId,
  placedAt: '2026-11-26T10:00:00.000Z',
  status: 'ACCEPTED',
  lines: [{ lineNumber: 1, sku: orderB.lines[0]!.sku, quantity: 1, unitPrice: money('10', 'USD') }],
  total: money('10', 'USD'),
  allocations: [],
  postings: queuedPostings(new Date('2026-11-26T10:00:00.000Z')),
  cancelledAt: null,
  cancelReason: null,
};

let erp: ErpHarness;
beforeAll(async () => {
  const orders = new MemoryOrderStore();
  await orders.insert(hubOrderB);
  erp = await startSubgraphHarness(erpBackend, {
    schema: buildErpSchema(),
    createContext: (connector, identity) => createErpContext(connector, identity, { orders }),
    defaultCaller: TEST_IDENTITY,
  });
});
afterAll(async () => {
  await erp.close();
});

describe('ERP row-level rules', () => {
  it('shows a customer portal its own customer only; a channel partner any customer', async () => {
    const query = 'query($id: ID!) { customer(id: $id) { id } }';
    expect((await erp.run(query, { id: orderA.customerId }, customerA)).data).toEqual({ customer: { id: orderA.customerId } });
    expect((await erp.run(query, { id: orderB.customerId }, customerA)).data).toEqual({ customer: null });
    expect((await erp.run(query, { id: orderB.customerId }, channelA)).data).toEqual({ customer: { id: orderB.customerId } });
    const entities = await erp.run(ENTITIES('... on Customer { id name }'), {
      representations: [{ __typename: 'Customer', id: orderB.customerId }, { __typename: 'Customer', id: orderA.customerId }],
    }, customerA);
    expect(entities.errors).toBeUndefined();
    expect(entities.data).toEqual({ _entities: [null, { id: orderA.customerId, name: expect.any(String) }] });
  });

  it.each([
    ['customer', customerA],
    ['channel', channelA],
  ])("resolves another %s's order (from its sales order or the hub's order store) to null, its own in full", async (_kind, identity) => {
    const { data, errors } = await erp.run<{ _entities: ({ id: string; invoices: unknown[] } | null)[] }>(ENTITIES(ORDER), {
      representations: [orderB.id, orderA.id, hubOrderB.id].map((id) => ({ __typename: 'Order', id })),
    }, identity);
    expect(errors).toBeUndefined();
    const [other, own, otherHub] = data!._entities;
    expect(other).toBeNull();
    expect(otherHub).toBeNull();
    expect(own).toMatchObject({ id: orderA.id, erpPosting: 'POSTED', erpOrderNumber: orderA.erpOrderNumber });
    expect(own!.invoices.length).toBeGreaterThan(0);
  });

  it('hides the price of another customer’s order line', async () => {
    const lineOf = (order: { id: string }) => ({ __typename: 'OrderLine', id: `${order.id}:1` });
    const { data, errors } = await erp.run(ENTITIES('... on OrderLine { id unitPrice { amount } }'), {
      representations: [lineOf(orderB), lineOf(orderA), lineOf(hubOrderB)],
    }, customerA);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [null, { id: `${orderA.id}:1`, unitPrice: { amount: expect.any(String) } }, null] });
  });

  it('answers an order nobody knows with nothing of anyone’s, for a restricted caller too', async () => {
    const { data, errors } = await erp.run(ENTITIES(ORDER), { representations: [{ __typename: 'Order', id: 'ORD-999999' }] }, customerA);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [{ id: 'ORD-999999', erpPosting: 'QUEUED', erpOrderNumber: null, total: null, invoices: [] }] });
  });

  it('costs a restricted caller no extra ERP request: whose order it is comes with the sales orders', async () => {
    await erp.resetBackendRequests();
    const { errors } = await erp.run(ENTITIES('... on Order { total { amount } invoices { number } }'), {
      representations: world.orders.slice(0, 50).map((o) => ({ __typename: 'Order', id: o.id })),
    }, channelA);
    expect(errors).toBeUndefined();
    expect(await erp.backendRequests()).toBe(2);
  });

  it('lets everyone without limits read every order, and everyone read products', async () => {
    const all = await erp.run<{ _entities: unknown[] }>(ENTITIES('... on Order { id }'), {
      representations: [orderA.id, orderB.id, hubOrderB.id].map((id) => ({ __typename: 'Order', id })),
    });
    expect(all.data?._entities).toEqual([{ id: orderA.id }, { id: orderB.id }, { id: hubOrderB.id }]);
    const sku = orderB.lines[0]!.sku;
    const product = await erp.run('query($sku: ID!) { product(sku: $sku) { sku } }', { sku }, customerA);
    expect(product.data).toEqual({ product: { sku } });
  });
});
