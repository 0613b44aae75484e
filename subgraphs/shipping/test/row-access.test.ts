import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IDENTITY_HEADER, signIdentity } from '@crossdock/auth';
import { identity, shipmentsOf, startHarness, startShippingOverHttp, world, type ShippingHarness } from './harness';

const ENTITIES = (selection: string) => /* GraphQL */ `
  query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }
`;

/** Two shipped orders of different customers in different channels. */
const shipped = world.orders.filter((o) => shipmentsOf(o.id).length > 0);
const orderA = shipped[0]!;
const orderB = shipped.find((o) => o.customerId !== orderA.customerId && o.channel !== orderA.channel)!;
const [parcelA] = shipmentsOf(orderA.id);
const [parcelB] = shipmentsOf(orderB.id);
const customerA = identity({ customerId: orderA.customerId });
const channelA = identity({ channel: orderA.channel });

describe('shipping row-level rules, in process', () => {
  let shipping: ShippingHarness;
  beforeAll(async () => {
    shipping = await startHarness();
  });
  afterAll(() => shipping.close());

  it.each([
    ['customer', customerA],
    ['channel', channelA],
  ])("answers another %s's shipment as not found, by id and as an entity", async (_kind, caller) => {
    const byId = 'query($id: ID!) { shipment(id: $id) { id order { id } } }';
    expect((await shipping.run(byId, { id: parcelB!.id }, caller)).data).toEqual({ shipment: null });
    expect((await shipping.run(byId, { id: parcelA!.id }, caller)).data).toEqual({ shipment: { id: parcelA!.id, order: { id: orderA.id } } });
    const entities = await shipping.run(ENTITIES('... on Shipment { id }'), {
      representations: [{ __typename: 'Shipment', id: parcelB!.id }, { __typename: 'Shipment', id: parcelA!.id }],
    }, caller);
    expect(entities.errors).toBeUndefined();
    expect(entities.data).toEqual({ _entities: [null, { id: parcelA!.id }] });
  });

  it("lists no shipments of another customer's or channel's order", async () => {
    const query = ENTITIES('... on Order { id shipments { id } }');
    const representations = [orderB, orderA].map((o) => ({ __typename: 'Order', id: o.id }));
    const own = { id: orderA.id, shipments: shipmentsOf(orderA.id).map((s) => ({ id: s.id })) };
    for (const caller of [customerA, channelA]) {
      const { data, errors } = await shipping.run(query, { representations }, caller);
      expect(errors).toBeUndefined();
      expect(data).toEqual({ _entities: [{ id: orderB.id, shipments: [] }, own] });
    }
    const internal = await shipping.run(query, { representations });
    expect(internal.data).toEqual({ _entities: [{ id: orderB.id, shipments: shipmentsOf(orderB.id).map((s) => ({ id: s.id })) }, own] });
  });
});

describe('shipping row-level rules over HTTP', () => {
  const SECRET = 'shipping-row-access-subgraph-secret-0123';
  let service: Awaited<ReturnType<typeof startShippingOverHttp>>;
  beforeAll(async () => {
    service = await startShippingOverHttp(SECRET);
  });
  afterAll(() => service.close());

  it('filters by the identity the gateway signed, even for `_entities` sent straight to the subgraph', async () => {
    const response = await fetch(`${service.service.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(customerA, SECRET) },
      body: JSON.stringify({
        query: ENTITIES('... on Shipment { id }'),
        variables: { representations: [parcelB, parcelA].map((s) => ({ __typename: 'Shipment', id: s!.id })) },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { _entities: [null, { id: parcelA!.id }] } });
  });
});
