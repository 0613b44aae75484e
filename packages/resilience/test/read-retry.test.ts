import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { BackendError, ErpHttpConnector, ShippingHttpConnector, WmsHttpConnector } from '@crossdock/connectors';
import { money } from '@crossdock/model';
import { generateWorld, startErpSimulator, startShippingSimulator, startWmsSimulator, type RunningSimulator } from '@crossdock/simulators';
import { readSimulatorStats, resetSimulatorStats, setSimulatorFault } from '@crossdock/testkit';
import { Connections, NEVER_OPENS } from './support';

const world = generateWorld();
const order = world.orders[0];
const position = world.positions[0];
if (!order || !position) throw new Error('the seeded world has no orders or positions');

/** What one call cost the backend: how many requests reached the simulator, and how it ended. */
async function attemptsOf(sim: RunningSimulator, call: () => Promise<unknown>): Promise<{ attempts: number; failure: BackendError | null }> {
  await resetSimulatorStats(sim.url);
  let failure: BackendError | null = null;
  try {
    await call();
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    failure = error;
  }
  return { attempts: (await readSimulatorStats(sim.url)).total, failure };
}

describe('ResilientTransport retries', () => {
  let erpSim: RunningSimulator;
  let wmsSim: RunningSimulator;
  let carrierSim: RunningSimulator;
  const connections = new Connections();
  const erp = (options: { retryReads?: boolean } = {}) =>
    connections.connect(ErpHttpConnector, { backend: 'erp', baseUrl: erpSim.url, ...NEVER_OPENS, ...options }).connector;
  const wms = () => connections.connect(WmsHttpConnector, { backend: 'wms', baseUrl: wmsSim.url, ...NEVER_OPENS }).connector;
  const carrier = () => connections.connect(ShippingHttpConnector, { backend: 'shipping', baseUrl: carrierSim.url, ...NEVER_OPENS }).connector;

  beforeAll(async () => {
    [erpSim, wmsSim, carrierSim] = await Promise.all([startErpSimulator({ port: 0 }), startWmsSimulator({ port: 0 }), startShippingSimulator({ port: 0 })]);
  });
  afterEach(async () => {
    await connections.closeAll();
    await Promise.all([erpSim, wmsSim, carrierSim].map((sim) => setSimulatorFault(sim.url, { mode: 'none' })));
  });
  afterAll(() => Promise.all([erpSim, wmsSim, carrierSim].map((sim) => sim.close())));

  const safeReads: [string, () => RunningSimulator, () => () => Promise<unknown>][] = [
    ['an ERP lookup (GET)', () => erpSim, () => { const c = erp(); return () => c.customersByIds(['CUST-0001']); }],
    ['a WMS stock query (POST marked safeToRetry)', () => wmsSim, () => { const c = wms(); return () => c.positionsBySkus([position.sku]); }],
    ['a WMS fulfilment query (POST marked safeToRetry)', () => wmsSim, () => { const c = wms(); return () => c.fulfillmentsByOrderIds([order.id]); }],
    ['a carrier search (POST marked safeToRetry)', () => carrierSim, () => { const c = carrier(); return () => c.shipmentsByOrderIds([order.id]); }],
  ];

  it.each(safeReads)('retries %s once when half the answers are HTTP 500, never more', async (_name, sim, prepare) => {
    const read = prepare();
    await setSimulatorFault(sim().url, { mode: 'error', errorRate: 0.5 });
    const calls = [];
    for (let i = 0; i < 30; i += 1) calls.push(await attemptsOf(sim(), read));
    for (const { attempts, failure } of calls) {
      if (failure) {
        // A read fails only after its one retry failed too.
        expect(failure.kind).toBe('server-error');
        expect(attempts).toBe(2);
      } else {
        expect([1, 2]).toContain(attempts);
      }
    }
    // With 30 calls at 50 %, a call without a failed first attempt somewhere is a 1 in 10^9 chance.
    expect(calls.some((c) => c.attempts === 2)).toBe(true);
  });

  it('retries a read once after a reset or a timeout', async () => {
    const reader = erp();
    await setSimulatorFault(erpSim.url, { mode: 'down' });
    expect(await attemptsOf(erpSim, () => reader.customersByIds(['CUST-0001']))).toMatchObject({ attempts: 2, failure: { kind: 'reset' } });
    const impatient = connections.connect(ErpHttpConnector, { backend: 'erp', baseUrl: erpSim.url, timeoutMs: 150, ...NEVER_OPENS }).connector;
    await setSimulatorFault(erpSim.url, { mode: 'slow', latencyMs: 1_000 });
    expect(await attemptsOf(erpSim, () => impatient.customersByIds(['CUST-0001']))).toMatchObject({ attempts: 2, failure: { kind: 'timeout' } });
  });

  it('does not retry a refusal (4xx): asking again gets the same answer', async () => {
    const reader = erp();
    expect(await attemptsOf(erpSim, () => reader.pricesFor('CUST-9999', ['SKU-00001']))).toMatchObject({ attempts: 1, failure: { kind: 'client-error' } });
  });

  it('does not retry when READ_RETRY is off', async () => {
    const reader = erp({ retryReads: false });
    await setSimulatorFault(erpSim.url, { mode: 'error', errorRate: 1 });
    for (let i = 0; i < 3; i += 1) {
      expect(await attemptsOf(erpSim, () => reader.customersByIds(['CUST-0001']))).toMatchObject({ attempts: 1, failure: { kind: 'server-error' } });
    }
  });

  it('does not retry once the failure opened the circuit', async () => {
    const { connector: reader, circuit } = connections.connect(ErpHttpConnector, { backend: 'erp', baseUrl: erpSim.url, minimumCalls: 100, consecutiveFailures: 3, openMs: 60_000 });
    await setSimulatorFault(erpSim.url, { mode: 'down' });
    expect(await attemptsOf(erpSim, () => reader.customersByIds(['CUST-0001']))).toMatchObject({ attempts: 2, failure: { kind: 'reset' } });
    // The first attempt is the third outage in a row: the circuit opens and the retry is not sent.
    expect(await attemptsOf(erpSim, () => reader.customersByIds(['CUST-0001']))).toMatchObject({ attempts: 1, failure: { kind: 'reset' } });
    expect(circuit.state().state).toBe('open');
    expect(await attemptsOf(erpSim, () => reader.customersByIds(['CUST-0001']))).toMatchObject({ attempts: 0, failure: { kind: 'circuit-open' } });
  });

  it('never retries a create, a cancel or an allocation', async () => {
    const writer = erp();
    const warehouse = wms();
    await setSimulatorFault(erpSim.url, { mode: 'error', errorRate: 1 });
    await setSimulatorFault(wmsSim.url, { mode: 'error', errorRate: 1 });
    const salesOrder = {
      orderId: 'ORD-RETRY-1',
      customerId: 'CUST-0001',
      externalRef: null,
      placedAt: '2026-11-26T10:00:00Z',
      lines: [{ lineNumber: 1, sku: position.sku, quantity: 1, unitPrice: money('10.00', 'USD') }],
    };
    expect(await attemptsOf(erpSim, () => writer.createSalesOrder(salesOrder))).toMatchObject({ attempts: 1, failure: { kind: 'server-error' } });
    expect(await attemptsOf(erpSim, () => writer.cancelSalesOrder('ORD-RETRY-1', null))).toMatchObject({ attempts: 1, failure: { kind: 'server-error' } });
    const allocation = [{ warehouseId: position.warehouseId, sku: position.sku, quantity: 1 }];
    expect(await attemptsOf(wmsSim, () => warehouse.allocate('ORD-RETRY-1', allocation))).toMatchObject({ attempts: 1, failure: { kind: 'server-error' } });
    expect(await attemptsOf(wmsSim, () => warehouse.cancelAllocation('ORD-RETRY-1'))).toMatchObject({ attempts: 1, failure: { kind: 'server-error' } });
    // A reset is no different: the write may have landed before the connection died.
    await setSimulatorFault(erpSim.url, { mode: 'down' });
    expect(await attemptsOf(erpSim, () => writer.createSalesOrder(salesOrder))).toMatchObject({ attempts: 1, failure: { kind: 'reset' } });
  });
});
