import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BackendError, CommerceHttpConnector, ErpHttpConnector, ShippingHttpConnector, WmsHttpConnector } from '@crossdock/connectors';
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

describe('fault switch, seen through the connectors', () => {
  let sims: RunningSimulators;
  let probes: { name: string; sim: RunningSimulator; call: () => Promise<unknown>; close: () => Promise<void> }[];

  beforeAll(async () => {
    sims = await startSimulators();
    const options = (sim: RunningSimulator) => ({ baseUrl: sim.url, timeoutMs: 200 });
    const erp = new ErpHttpConnector(options(sims.erp));
    const wms = new WmsHttpConnector(options(sims.wms));
    const commerce = new CommerceHttpConnector(options(sims.commerce));
    const shipping = new ShippingHttpConnector(options(sims.shipping));
    probes = [
      { name: 'erp', sim: sims.erp, call: () => erp.customersByIds(['CUST-0001']), close: () => erp.close() },
      { name: 'wms', sim: sims.wms, call: () => wms.positionsBySkus(['SKU-00001']), close: () => wms.close() },
      { name: 'commerce', sim: sims.commerce, call: () => commerce.ordersByIds(['ORD-000001']), close: () => commerce.close() },
      { name: 'shipping', sim: sims.shipping, call: () => shipping.shipmentsByIds(['SHP-000001']), close: () => shipping.close() },
    ];
  });
  afterAll(async () => {
    await Promise.all(probes.map((p) => p.close()));
    await sims.close();
  });

  it.each(['erp', 'wms', 'commerce', 'shipping'])('%s: down resets, error fails, slow times out, none heals', async (name) => {
    const probe = probes.find((p) => p.name === name);
    if (!probe) throw new Error(`no probe ${name}`);
    const fault = `${probe.sim.url}/_admin/fault`;
    expect(await failureOf(probe.call)).toBeNull();

    expect((await postJson(fault, { mode: 'down' })).status).toBe(200);
    expect((await getJson(fault)).body).toEqual({ mode: 'down', latencyMs: 0, errorRate: 0 });
    expect(await failureOf(probe.call)).toMatchObject({ backend: name, kind: 'reset' });

    await postJson(fault, { mode: 'error', errorRate: 1 });
    expect(await failureOf(probe.call)).toMatchObject({ backend: name, kind: 'server-error', status: 500 });

    await postJson(fault, { mode: 'slow', latencyMs: 1_000 });
    expect(await failureOf(probe.call)).toMatchObject({ backend: name, kind: 'timeout' });

    await postJson(fault, { mode: 'none' });
    expect((await getJson(fault)).body).toMatchObject({ mode: 'none' });
    expect(await failureOf(probe.call)).toBeNull();
  });

  it('refuses bad fault settings with 400 and keeps the current mode', async () => {
    const fault = `${sims.erp.url}/_admin/fault`;
    for (const bad of [{ mode: 'broken' }, { mode: 'slow', latencyMs: -1 }, { mode: 'error', errorRate: 2 }, { mode: 'none', extra: 1 }, 'not json', []]) {
      expect((await postJson(fault, bad)).status).toBe(400);
    }
    expect((await getJson(fault)).body).toMatchObject({ mode: 'none' });
  });
});
