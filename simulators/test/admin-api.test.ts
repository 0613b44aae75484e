import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulators, type RunningSimulators } from '../src/index';
import { getJson, postJson, resetStats, stats } from './support';

describe('simulator admin and error surface', () => {
  let sims: RunningSimulators;

  beforeAll(async () => {
    sims = await startSimulators();
  });
  afterAll(() => sims.close());

  it('counts only non-admin requests, by route pattern', async () => {
    const url = sims.shipping.url;
    await resetStats(url);
    await getJson(`${url}/v1/shipments/SHP-000001`);
    await getJson(`${url}/v1/shipments/SHP-000002`);
    await getJson(`${url}/_admin/fault`);
    expect(await stats(url)).toEqual({ requests: { 'GET /v1/shipments/:shipmentId': 2 }, total: 2 });
    await resetStats(url);
    expect((await stats(url)).total).toBe(0);
  });

  it('answers unknown routes with 404 in each system style', async () => {
    expect(await getJson(`${sims.erp.url}/api/v2/nothing`)).toMatchObject({ status: 404, body: { Error: { Code: 'NotFound' } } });
    expect(await getJson(`${sims.wms.url}/wms/v1/nothing`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await getJson(`${sims.commerce.url}/admin/api/2026-01/nothing.json`)).toMatchObject({ status: 404 });
    expect(await getJson(`${sims.shipping.url}/v1/shipments/SHP-999999`)).toMatchObject({ status: 404, body: { errors: [{ code: 'NOT_FOUND' }] } });
  });

  it('enforces page and batch limits with 400', async () => {
    const skus = Array.from({ length: 101 }, (_, i) => `SKU-${i}`);
    expect((await getJson(`${sims.erp.url}/api/v2/items?pageSize=101`)).status).toBe(400);
    expect((await getJson(`${sims.erp.url}/api/v2/items?ids=${skus.join(',')}`)).status).toBe(400);
    expect((await postJson(`${sims.wms.url}/wms/v1/stock/query`, { skus })).status).toBe(400);
    expect((await getJson(`${sims.commerce.url}/admin/api/2026-01/orders.json?limit=251`)).status).toBe(400);
    expect((await postJson(`${sims.shipping.url}/v1/shipments/search`, { shipmentIds: skus })).status).toBe(400);
  });

  it('refuses bad parameters with 400', async () => {
    const orders = `${sims.commerce.url}/admin/api/2026-01/orders.json`;
    expect((await getJson(`${orders}?created_at_min=yesterday`)).status).toBe(400);
    expect((await getJson(`${orders}?status=lost`)).status).toBe(400);
    expect((await getJson(`${orders}?page_info=garbage`)).status).toBe(400);
    const first = await getJson(`${orders}?limit=1`);
    const token = /page_info=([^&>]+)/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
    expect((await getJson(`${orders}?page_info=${token}&source_name=web`)).status).toBe(400);
    expect((await getJson(`${sims.erp.url}/api/v2/salesorders`)).status).toBe(400);
    expect((await getJson(`${sims.erp.url}/api/v2/items?page=zero`)).status).toBe(400);
    expect((await postJson(`${sims.wms.url}/wms/v1/fulfillments/query`, { order_refs: 'ORD-000001' })).status).toBe(400);
    expect((await postJson(`${sims.wms.url}/wms/v1/stock/query`, '{"skus": [')).status).toBe(400);
    expect((await postJson(`${sims.shipping.url}/v1/shipments/search`, { shipmentIds: [], orderReferences: [] })).status).toBe(400);
  });
});
