import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { generateWorld } from '@crossdock/simulators';
import { errorCodes, startErpHarness, type ErpHarness } from './harness';

const world = generateWorld();

let erp: ErpHarness;
beforeAll(async () => {
  erp = await startErpHarness();
});
afterEach(async () => {
  await erp.setFault('none');
});
afterAll(async () => {
  await erp.close();
});

it('reports a dead ERP as BACKEND_UNAVAILABLE at each field that needed it, and serves the rest', async () => {
  const order = world.orders[0]!;
  const customer = world.customers[0]!;
  await erp.setFault('down');
  const { data, errors } = await erp.run(
    /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _service { sdl }
        _entities(representations: $representations) {
          ... on Order { id total { amount } erpOrderNumber }
          ... on Customer { id name }
        }
      }
    `,
    { representations: [{ __typename: 'Order', id: order.id }, { __typename: 'Customer', id: customer.id }] },
  );
  expect(data).toEqual({
    _service: { sdl: expect.stringContaining('type Customer') },
    _entities: [{ id: order.id, total: null, erpOrderNumber: null }, null],
  });
  expect(errorCodes(errors)).toEqual(
    expect.arrayContaining([
      { path: ['_entities', 0, 'total'], code: 'BACKEND_UNAVAILABLE' },
      { path: ['_entities', 0, 'erpOrderNumber'], code: 'BACKEND_UNAVAILABLE' },
      { path: ['_entities', 1], code: 'BACKEND_UNAVAILABLE' },
    ]),
  );
  expect(errors).toHaveLength(3);
});

it('fails a root list whose backend is down, naming the system but not its address', async () => {
  await erp.setFault('down');
  const { data, errors } = await erp.run(/* GraphQL */ `{ products(first: 5) { edges { node { sku } } } }`);
  expect(data).toBeNull();
  expect(errorCodes(errors)).toEqual([{ path: ['products'], code: 'BACKEND_UNAVAILABLE' }]);
  expect(errors?.[0]?.message).toBe('The ERP is unavailable; try again shortly.');
});

it('answers again as soon as the ERP is back', async () => {
  await erp.setFault('down');
  await erp.run(/* GraphQL */ `{ customer(id: "CUST-0001") { id } }`);
  await erp.setFault('none');
  const { data, errors } = await erp.run(/* GraphQL */ `{ customer(id: "CUST-0001") { id } }`);
  expect(errors).toBeUndefined();
  expect(data).toEqual({ customer: { id: 'CUST-0001' } });
});
