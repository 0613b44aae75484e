import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GOOD_CUSTOMER, placeAccepted, sellableSku } from './capture-fixtures';
import { errorsOf, identity, startHarness, world, type CommerceHarness } from './harness';
import { operator } from './ops-fixtures';

const ENTITIES = (selection: string) => /* GraphQL */ `
  query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }
`;

/** Two platform orders of different customers in different channels. */
const orderA = world.orders[0]!;
const orderB = world.orders.find((o) => o.customerId !== orderA.customerId && o.channel !== orderA.channel)!;
const customerA = identity({ customerId: orderA.customerId });
const channelA = identity({ channel: orderA.channel });
const orderRefs = (...ids: string[]) => ids.map((id) => ({ __typename: 'Order', id }));
const lineRefs = (...ids: string[]) => ids.map((id) => ({ __typename: 'OrderLine', id: `${id}:1` }));

describe('commerce row-level rules', () => {
  let h: CommerceHarness;
  /** A hub-captured order of another customer, in another channel than orderA: read from the order store. */
  let hubOrderId: string;

  beforeAll(async () => {
    h = await startHarness();
    const channel = ['web', 'edi', 'marketplace', 'b2b-portal'].find((c) => c !== orderA.channel)!;
    expect(GOOD_CUSTOMER).not.toBe(orderA.customerId);
    hubOrderId = (await placeAccepted(h, { channel, customerId: GOOD_CUSTOMER, lines: [{ sku: sellableSku(3), quantity: 1 }] })).id;
  });
  afterAll(() => h.close());

  it.each([
    ['customer', customerA],
    ['channel', channelA],
  ])("resolves another %s's orders and order lines to null through `_entities`, its own in full", async (_kind, caller) => {
    const orders = await h.run(ENTITIES('... on Order { id customer { id } }'), { representations: orderRefs(orderB.id, orderA.id, hubOrderId) }, caller);
    expect(orders.errors).toBeUndefined();
    expect(orders.data).toEqual({ _entities: [null, { id: orderA.id, customer: { id: orderA.customerId } }, null] });
    const lines = await h.run(ENTITIES('... on OrderLine { id }'), { representations: lineRefs(orderB.id, orderA.id, hubOrderId) }, caller);
    expect(lines.errors).toBeUndefined();
    expect(lines.data).toEqual({ _entities: [null, { id: `${orderA.id}:1` }, null] });
  });

  it("does not find another customer for a customer portal, nor list that customer's orders", async () => {
    const { data, errors } = await h.run(ENTITIES('... on Customer { id orders(first: 5) { edges { node { id } } } }'), {
      representations: [{ __typename: 'Customer', id: orderB.customerId }, { __typename: 'Customer', id: orderA.customerId }],
    }, customerA);
    expect(errors).toBeUndefined();
    const own = world.orders.filter((o) => o.customerId === orderA.customerId).sort((a, b) => b.placedAtMs - a.placedAtMs).slice(0, 5);
    expect(data).toEqual({ _entities: [null, { id: orderA.customerId, orders: { edges: own.map((o) => ({ node: { id: o.id } })) } }] });
  });

  it("lists only the channel's orders of any customer for a channel partner", async () => {
    const ordersOf = (customerId: string) => world.orders.filter((o) => o.customerId === customerId);
    // A customer who orders through the partner's channel and through others.
    const shared = world.customers.find((c) => new Set(ordersOf(c.id).map((o) => o.channel)).size > 1 && ordersOf(c.id).some((o) => o.channel === orderA.channel))!;
    const { data } = await h.run<{ _entities: { orders: { edges: { node: { id: string } }[] } }[] }>(
      ENTITIES('... on Customer { orders(first: 100) { edges { node { id } } } }'),
      { representations: [{ __typename: 'Customer', id: shared.id }] },
      channelA,
    );
    const expected = ordersOf(shared.id).filter((o) => o.channel === orderA.channel);
    expect(data!._entities[0]!.orders.edges.map((e) => e.node.id).sort()).toEqual(expected.map((o) => o.id).sort());
  });

  it('keeps exceptions (every customer’s raw payloads) from operators limited to a customer or channel', async () => {
    const query = '{ exceptions(first: 5) { edges { node { id subject } } } }';
    for (const limits of [{ customerId: orderA.customerId }, { channel: orderA.channel }]) {
      const result = await h.run(query, {}, operator(limits));
      expect(errorsOf(result)).toEqual([{ code: 'FORBIDDEN', path: ['exceptions'] }]);
    }
    expect((await h.run(query, {}, operator())).errors).toBeUndefined();
  });
});
