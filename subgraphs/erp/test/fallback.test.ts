import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { moneyFromMinorUnits } from '@crossdock/model';
import { createLogger } from '@crossdock/service';
import { generateWorld, WORLD_CURRENCY } from '@crossdock/simulators';
import { FallbackCache, MemorySnapshotStore } from '@crossdock/snapshots';
import { errorCodes, startErpHarness, type ErpHarness } from './harness';

const world = generateWorld();
const usd = (cents: number) => moneyFromMinorUnits(cents, WORLD_CURRENCY);
const T0 = new Date('2026-11-26T10:04:05.000Z');
const HOUR = 3_600_000;

let now = T0;
const cache = new FallbackCache(
  { store: new MemorySnapshotStore(), now: () => now, maxAge: { defaultMs: 24 * HOUR, byKind: { 'erp.product-page': HOUR, 'erp.product': HOUR } } },
  createLogger('erp-test', 'silent'),
);
let erp: ErpHarness;
beforeAll(async () => {
  erp = await startErpHarness(cache);
});
afterEach(async () => {
  await erp.setFault('none');
  now = T0;
});
afterAll(async () => {
  await erp.close();
});

const order = world.orders[0]!;
const customer = world.customers.find((c) => c.id === order.customerId)!;
const ERP_VIEW = /* GraphQL */ `
  query ($customerId: ID!, $representations: [_Any!]!) {
    customer(id: $customerId) { id name onHold creditLimit { amount currency } }
    products(first: 3) { edges { node { sku name } } pageInfo { hasNextPage } }
    _entities(representations: $representations) {
      ... on Order { id total { amount currency } erpOrderNumber erpPosting invoices { number } }
    }
  }
`;
const variables = { customerId: customer.id, representations: [{ __typename: 'Order', id: order.id }] };

it('answers what it answered before from the cache while the ERP is down, and says so', async () => {
  const live = await erp.run(ERP_VIEW, variables);
  expect(live.errors).toBeUndefined();
  expect(live.extensions).toBeUndefined();
  expect(live.data).toMatchObject({
    customer: { id: customer.id, name: customer.name, creditLimit: usd(customer.creditLimitCents) },
    _entities: [{ id: order.id, total: usd(order.totalCents), erpOrderNumber: order.erpOrderNumber, erpPosting: 'POSTED' }],
  });
  await cache.flush();

  now = new Date(T0.getTime() + HOUR / 2);
  await erp.setFault('down');
  const degraded = await erp.run(ERP_VIEW, variables);
  expect(degraded.errors).toBeUndefined();
  expect(degraded.data).toEqual(live.data);
  expect(degraded.extensions).toEqual({ degraded: [{ subgraph: 'erp', servedFrom: 'cache', asOf: T0.toISOString() }] });
});

it('fails only what was never cached, with BACKEND_UNAVAILABLE at its path, and serves the rest', async () => {
  await erp.run(/* GraphQL */ `query ($id: ID!) { customer(id: $id) { id } }`, { id: customer.id });
  await cache.flush();
  const stranger = world.customers.find((c) => c.id !== customer.id)!;
  await erp.setFault('down');
  const { data, errors, extensions } = await erp.run(
    /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Customer { id name } }
        product(sku: "SKU-NEVER-ASKED") { sku }
      }
    `,
    { representations: [{ __typename: 'Customer', id: customer.id }, { __typename: 'Customer', id: stranger.id }] },
  );
  expect(data).toEqual({ _entities: [{ id: customer.id, name: customer.name }, null], product: null });
  expect(errorCodes(errors)).toEqual(
    expect.arrayContaining([
      { path: ['_entities', 1], code: 'BACKEND_UNAVAILABLE' },
      { path: ['product'], code: 'BACKEND_UNAVAILABLE' },
    ]),
  );
  expect(errors).toHaveLength(2);
  expect(extensions).toEqual({ degraded: [{ subgraph: 'erp', servedFrom: 'cache', asOf: T0.toISOString() }] });
});

it('never serves a snapshot older than its kind\'s maximum age', async () => {
  const product = world.products[0]!;
  const VIEW = /* GraphQL */ `{ product(sku: "${product.sku}") { sku } customer(id: "${customer.id}") { id } }`;
  const PRODUCTS = /* GraphQL */ `{ products(first: 2) { edges { node { sku } } } }`;
  await erp.run(VIEW);
  await erp.run(PRODUCTS);
  await cache.flush();
  now = new Date(T0.getTime() + 2 * HOUR);
  await erp.setFault('down');

  // Products may be an hour old here, customers a day.
  const view = await erp.run(VIEW);
  expect(view.data).toEqual({ product: null, customer: { id: customer.id } });
  expect(errorCodes(view.errors)).toEqual([{ path: ['product'], code: 'BACKEND_UNAVAILABLE' }]);
  expect(view.extensions).toEqual({ degraded: [{ subgraph: 'erp', servedFrom: 'cache', asOf: T0.toISOString() }] });
  const list = await erp.run(PRODUCTS);
  expect(list.data).toBeNull();
  expect(errorCodes(list.errors)).toEqual([{ path: ['products'], code: 'BACKEND_UNAVAILABLE' }]);
  expect(list.extensions).toBeUndefined();
});
