import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { moneyFromMinorUnits, toIsoUtc } from '@crossdock/model';
import { generateWorld, WORLD_CURRENCY } from '@crossdock/simulators';
import { startErpHarness, type ErpHarness } from './harness';

const world = generateWorld();
const usd = (cents: number) => moneyFromMinorUnits(cents, WORLD_CURRENCY);

const ENTITIES = (selection: string) => /* GraphQL */ `
  query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }
`;

let erp: ErpHarness;
beforeAll(async () => {
  erp = await startErpHarness();
});
afterAll(async () => {
  await erp.close();
});

describe('Customer entity', () => {
  it('resolves known ids and null for unknown ones', async () => {
    const [a, b] = world.customers;
    const { data, errors } = await erp.run(ENTITIES('... on Customer { id name onHold creditLimit { amount } }'), {
      representations: [
        { __typename: 'Customer', id: b!.id },
        { __typename: 'Customer', id: 'CUST-0000' },
        { __typename: 'Customer', id: a!.id },
      ],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      _entities: [
        { id: b!.id, name: b!.name, onHold: b!.onHold, creditLimit: { amount: usd(b!.creditLimitCents).amount } },
        null,
        { id: a!.id, name: a!.name, onHold: a!.onHold, creditLimit: { amount: usd(a!.creditLimitCents).amount } },
      ],
    });
  });
});

describe('Product entity', () => {
  it('resolves known SKUs and null for unknown ones', async () => {
    const product = world.products[42]!;
    const { data, errors } = await erp.run(ENTITIES('... on Product { sku name sellable listPrice { amount currency } }'), {
      representations: [
        { __typename: 'Product', sku: 'SKU-XXXXX' },
        { __typename: 'Product', sku: product.sku },
      ],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      _entities: [null, { sku: product.sku, name: product.name, sellable: product.sellable, listPrice: usd(product.listPriceCents) }],
    });
  });
});

describe('Order entity', () => {
  const invoiced = world.orders.find((o) => world.invoices.some((i) => i.orderId === o.id))!;
  const notInvoiced = world.orders.find((o) => o.status === 'ACCEPTED')!;

  it('adds the sales order number, total and invoices the ERP holds', async () => {
    const invoices = world.invoices.filter((i) => i.orderId === invoiced.id);
    const { data, errors } = await erp.run(
      ENTITIES('... on Order { id erpPosting erpOrderNumber total { amount currency } invoices { id number issuedAt total { amount currency } } }'),
      { representations: [{ __typename: 'Order', id: invoiced.id }, { __typename: 'Order', id: notInvoiced.id }] },
    );
    expect(errors).toBeUndefined();
    expect(invoices.length).toBeGreaterThan(0);
    expect(data).toEqual({
      _entities: [
        {
          id: invoiced.id,
          erpPosting: 'POSTED',
          erpOrderNumber: invoiced.erpOrderNumber,
          total: usd(invoiced.totalCents),
          invoices: invoices.map((i) => ({ id: String(i.entryNo), number: i.number, issuedAt: toIsoUtc(i.issuedAtMs), total: usd(i.totalCents) })),
        },
        { id: notInvoiced.id, erpPosting: 'POSTED', erpOrderNumber: notInvoiced.erpOrderNumber, total: usd(notInvoiced.totalCents), invoices: [] },
      ],
    });
  });

  it('answers an order the ERP has no sales order for as queued, never as null', async () => {
    const { data, errors } = await erp.run(ENTITIES('... on Order { id erpPosting erpOrderNumber total { amount } invoices { id } }'), {
      representations: [{ __typename: 'Order', id: 'ORD-999999' }],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [{ id: 'ORD-999999', erpPosting: 'QUEUED', erpOrderNumber: null, total: null, invoices: [] }] });
  });
});

describe('OrderLine entity', () => {
  const order = world.orders.find((o) => o.lines.length >= 3)!;

  it('prices each line from its sales order, keyed <order id>:<line number>', async () => {
    const { data, errors } = await erp.run(ENTITIES('... on OrderLine { id unitPrice { amount currency } }'), {
      representations: order.lines.map((l) => ({ __typename: 'OrderLine', id: `${order.id}:${l.lineNumber}` })),
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      _entities: order.lines.map((l) => ({ id: `${order.id}:${l.lineNumber}`, unitPrice: usd(l.unitPriceCents) })),
    });
  });

  it('has no price for a line the ERP does not hold, and no line for a malformed id', async () => {
    const { data, errors } = await erp.run(ENTITIES('... on OrderLine { id unitPrice { amount } }'), {
      representations: [
        { __typename: 'OrderLine', id: `${order.id}:99` },
        { __typename: 'OrderLine', id: 'ORD-999999:1' },
        { __typename: 'OrderLine', id: order.id },
        { __typename: 'OrderLine', id: `${order.id}:0` },
      ],
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      _entities: [{ id: `${order.id}:99`, unitPrice: null }, { id: 'ORD-999999:1', unitPrice: null }, null, null],
    });
  });
});

describe('batching', () => {
  beforeEach(async () => {
    await erp.resetBackendRequests();
  });

  it.each([
    ['Product', '... on Product { sku name }', world.products.slice(0, 50).map((p) => ({ __typename: 'Product', sku: p.sku }))],
    ['Customer', '... on Customer { id name }', world.customers.slice(0, 50).map((c) => ({ __typename: 'Customer', id: c.id }))],
    ['Order', '... on Order { erpOrderNumber erpPosting total { amount } }', world.orders.slice(0, 50).map((o) => ({ __typename: 'Order', id: o.id }))],
    [
      'OrderLine',
      '... on OrderLine { unitPrice { amount } }',
      world.orders.slice(0, 40).flatMap((o) => o.lines.map((l) => ({ __typename: 'OrderLine', id: `${o.id}:${l.lineNumber}` }))).slice(0, 50),
    ],
  ])('resolves 50 %s representations with exactly one ERP request', async (_type, selection, representations) => {
    expect(representations).toHaveLength(50);
    const { data, errors } = await erp.run<{ _entities: unknown[] }>(ENTITIES(selection), { representations });
    expect(errors).toBeUndefined();
    expect(data!._entities.every((e) => e !== null)).toBe(true);
    expect(await erp.backendRequests()).toBe(1);
  });

  it('asks once per kind of record: sales orders and invoices of 50 orders are two requests', async () => {
    const representations = world.orders.slice(0, 50).map((o) => ({ __typename: 'Order', id: o.id }));
    const { errors } = await erp.run(ENTITIES('... on Order { total { amount } invoices { number } }'), { representations });
    expect(errors).toBeUndefined();
    expect(await erp.backendRequests()).toBe(2);
  });
});
