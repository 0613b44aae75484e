import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { errorCodes, startWmsHarness, type WmsHarness } from './harness';
import { world } from './world-stock';

let wms: WmsHarness;
beforeAll(async () => {
  wms = await startWmsHarness();
});
afterEach(async () => {
  await wms.setFault('none');
});
afterAll(async () => {
  await wms.close();
});

it('reports a dead WMS as BACKEND_UNAVAILABLE at each field that needed it, and serves the rest', async () => {
  await wms.setFault('down');
  const { data, errors } = await wms.run(
    /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _service { sdl }
        _entities(representations: $representations) {
          ... on Order { id fulfillmentStatus }
          ... on Product { sku available }
        }
      }
    `,
    { representations: [{ __typename: 'Order', id: world.orders[0]!.id }, { __typename: 'Product', sku: world.products[0]!.sku }] },
  );
  // Both fields are non-null, so each failure nulls its entity; the rest of the answer stands.
  expect(data).toEqual({ _service: { sdl: expect.stringContaining('type Warehouse') }, _entities: [null, null] });
  expect(errorCodes(errors)).toEqual([
    { path: ['_entities', 0, 'fulfillmentStatus'], code: 'BACKEND_UNAVAILABLE' },
    { path: ['_entities', 1, 'available'], code: 'BACKEND_UNAVAILABLE' },
  ]);
});

it('fails a root field whose backend is down, naming the backend', async () => {
  await wms.setFault('down');
  const { data, errors } = await wms.run(/* GraphQL */ `{ warehouses { id } }`);
  expect(data).toBeNull();
  expect(errorCodes(errors)).toEqual([{ path: ['warehouses'], code: 'BACKEND_UNAVAILABLE' }]);
  expect(errors?.[0]?.extensions?.backend).toBe('wms');
});

it('still refuses a bad quantity as bad input without asking the WMS', async () => {
  await wms.setFault('down');
  await wms.resetBackendRequests();
  const { errors } = await wms.run(/* GraphQL */ `{ availableToPromise(sku: "SKU-00001", quantity: 0) { promisable } }`);
  expect(errorCodes(errors)).toEqual([{ path: ['availableToPromise'], code: 'BAD_USER_INPUT' }]);
  expect(await wms.backendRequests()).toBe(0);
});
