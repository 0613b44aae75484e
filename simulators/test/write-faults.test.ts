import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BackendError, CommerceHttpConnector, ErpHttpConnector, WmsHttpConnector } from '@crossdock/connectors';
import { moneyFromMinorUnits } from '@crossdock/model';
import { startSimulators, type RunningSimulator, type RunningSimulators } from '../src/index';
import { getJson, postJson } from './support';

/** The failure a call ended with, or null when it succeeded. */
async function failureOf(call: () => Promise<unknown>): Promise<BackendError | null> {
  try {
    await call();
    return null;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
}

const salesOrder = (orderId: string) => ({
  orderId,
  customerId: 'CUST-0001',
  externalRef: null,
  placedAt: '2026-11-26T10:00:00Z',
  lines: [{ lineNumber: 1, sku: 'SKU-00001', quantity: 1, unitPrice: moneyFromMinorUnits(999, 'USD') }],
});
const storeOrder = (id: string) => ({
  id,
  channel: 'web',
  externalRef: null,
  status: 'ACCEPTED' as const,
  placedAt: '2026-11-26T10:00:00Z',
  customerId: 'CUST-0001',
  lines: [{ orderId: id, lineNumber: 1, sku: 'SKU-00001', quantity: 1 }],
});

describe('fault switch on the write routes, seen through the connectors', () => {
  let sims: RunningSimulators;
  let erp: ErpHttpConnector;
  let wms: WmsHttpConnector;
  let commerce: CommerceHttpConnector;
  let probes: Record<string, { sim: RunningSimulator; call: () => Promise<unknown> }>;

  beforeAll(async () => {
    sims = await startSimulators();
    const options = (sim: RunningSimulator) => ({ baseUrl: sim.url, timeoutMs: 200 });
    erp = new ErpHttpConnector(options(sims.erp));
    wms = new WmsHttpConnector(options(sims.wms));
    commerce = new CommerceHttpConnector(options(sims.commerce));
    await commerce.createOrder(storeOrder('HUB-F'));
    await erp.createSalesOrder(salesOrder('HUB-F'));
    const [position] = (await wms.positionsBySkus(['SKU-00001']))[0] ?? [];
    if (!position) throw new Error('SKU-00001 is stocked nowhere');
    probes = {
      'erp pricesFor': { sim: sims.erp, call: () => erp.pricesFor('CUST-0001', ['SKU-00001']) },
      'erp createSalesOrder': { sim: sims.erp, call: () => erp.createSalesOrder(salesOrder('HUB-NEW')) },
      'erp cancelSalesOrder': { sim: sims.erp, call: () => erp.cancelSalesOrder('HUB-F', null) },
      'wms allocate': { sim: sims.wms, call: () => wms.allocate('HUB-NEW', [{ warehouseId: position.warehouseId, sku: position.sku, quantity: 1 }]) },
      'wms cancelAllocation': { sim: sims.wms, call: () => wms.cancelAllocation('HUB-F') },
      'commerce createOrder': { sim: sims.commerce, call: () => commerce.createOrder(storeOrder('HUB-NEW')) },
      'commerce cancelOrder': { sim: sims.commerce, call: () => commerce.cancelOrder('HUB-F', null) },
    };
  });
  afterAll(async () => {
    await Promise.all([erp.close(), wms.close(), commerce.close()]);
    await sims.close();
  });

  it.each([
    'erp pricesFor',
    'erp createSalesOrder',
    'erp cancelSalesOrder',
    'wms allocate',
    'wms cancelAllocation',
    'commerce createOrder',
    'commerce cancelOrder',
  ])('%s: down resets, error fails, slow times out, none heals', async (name) => {
    const probe = probes[name];
    if (!probe) throw new Error(`no probe ${name}`);
    const fault = `${probe.sim.url}/_admin/fault`;
    await postJson(fault, { mode: 'down' });
    expect(await failureOf(probe.call)).toMatchObject({ kind: 'reset' });
    await postJson(fault, { mode: 'error', errorRate: 1 });
    expect(await failureOf(probe.call)).toMatchObject({ kind: 'server-error', status: 500 });
    await postJson(fault, { mode: 'slow', latencyMs: 1_000 });
    expect(await failureOf(probe.call)).toMatchObject({ kind: 'timeout' });
    await postJson(fault, { mode: 'none' });
    expect(await failureOf(probe.call)).toBeNull();
  });

  it('applies nothing for a posting the fault switch failed', async () => {
    const fault = `${sims.erp.url}/_admin/fault`;
    await postJson(fault, { mode: 'error', errorRate: 1 });
    expect(await failureOf(() => erp.createSalesOrder(salesOrder('HUB-LOST')))).toMatchObject({ kind: 'server-error' });
    await postJson(fault, { mode: 'none' });
    expect((await getJson(`${sims.erp.url}/_admin/salesorders?externalRef=HUB-LOST`)).body).toEqual({
      postings: [{ externalRef: 'HUB-LOST', requests: 0, salesOrderNos: [] }],
    });
  });
});
