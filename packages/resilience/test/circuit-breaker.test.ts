import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ErpHttpConnector } from '@crossdock/connectors';
import { startErpSimulator, type RunningSimulator } from '@crossdock/simulators';
import { readSimulatorStats, resetSimulatorStats, setSimulatorFault } from '@crossdock/testkit';
import type { CircuitState, ResilientConnectorOptions } from '../src/index';
import { Connections, backendFailure, eventually } from './support';

type ErpOptions = Omit<ResilientConnectorOptions<ErpHttpConnector>, 'backend' | 'baseUrl'>;

/** Long enough that a circuit stays open for the whole test. */
const STAYS_OPEN = { openMs: 60_000 };

describe('CircuitBreaker around the ERP connector, against the ERP simulator', () => {
  let sim: RunningSimulator;
  const connections = new Connections();
  // No retries here: each call is one request, so the simulator's counters read as calls.
  const connect = (options: ErpOptions) => connections.connect(ErpHttpConnector, { backend: 'erp', baseUrl: sim.url, retryReads: false, ...options });
  const requestsToSim = async () => (await readSimulatorStats(sim.url)).total;

  beforeAll(async () => {
    sim = await startErpSimulator({ port: 0 });
  });
  afterEach(async () => {
    await connections.closeAll();
    await setSimulatorFault(sim.url, { mode: 'none' });
    await resetSimulatorStats(sim.url);
  });
  afterAll(() => sim.close());

  it('opens after a run of outages, then fails fast without reaching the backend', async () => {
    const { connector: erp, circuit } = connect({ minimumCalls: 100, consecutiveFailures: 3, ...STAYS_OPEN });
    await setSimulatorFault(sim.url, { mode: 'down' });
    for (let i = 0; i < 3; i += 1) expect((await backendFailure(erp.customersByIds(['CUST-0001']))).kind).toBe('reset');
    expect(circuit.state()).toMatchObject({ backend: 'erp', state: 'open', failures: 3, calls: 3, lastError: expect.stringMatching(/connection reset/) });
    expect(await requestsToSim()).toBe(3);

    const fast = await Promise.all(Array.from({ length: 20 }, () => backendFailure(erp.customersByIds(['CUST-0001']))));
    expect(fast.map((e) => e.kind)).toEqual(Array(20).fill('circuit-open'));
    expect(fast[0]?.message).toMatch(/^erp backend: circuit open since \d{4}-\d\d-\d\dT.*Z, failing fast \(last failure: .*reset/);
    expect(await requestsToSim()).toBe(3);
  });

  it('opens on the failure rate over the window: closed at 2 failures of 5 calls, open at 3 of 6', async () => {
    const { connector: erp, circuit } = connect({ failureRate: 0.5, minimumCalls: 5, consecutiveFailures: 100, ...STAYS_OPEN });
    for (let i = 0; i < 3; i += 1) await erp.customersByIds(['CUST-0001']);
    await setSimulatorFault(sim.url, { mode: 'down' });
    await backendFailure(erp.customersByIds(['CUST-0001']));
    await backendFailure(erp.customersByIds(['CUST-0001']));
    expect(circuit.state()).toMatchObject({ state: 'closed', calls: 5, failures: 2 });
    await backendFailure(erp.customersByIds(['CUST-0001']));
    expect(circuit.state()).toMatchObject({ state: 'open', calls: 6, failures: 3 });
  });

  it('does not count a 4xx: the backend answered, the caller asked wrongly', async () => {
    const { connector: erp, circuit } = connect({ minimumCalls: 2, consecutiveFailures: 2, ...STAYS_OPEN });
    for (let i = 0; i < 8; i += 1) {
      const refusal = await backendFailure(erp.pricesFor('CUST-9999', ['SKU-00001']));
      expect(refusal).toMatchObject({ kind: 'client-error', code: 'CustomerNotFound' });
    }
    expect(circuit.state()).toMatchObject({ state: 'closed', calls: 8, failures: 0, lastError: null });
    expect(await requestsToSim()).toBe(8);
  });

  it('counts a slow answer beyond the timeout as an outage', async () => {
    const { connector: erp, circuit } = connect({ timeoutMs: 150, minimumCalls: 2, ...STAYS_OPEN });
    await setSimulatorFault(sim.url, { mode: 'slow', latencyMs: 1_000 });
    expect((await backendFailure(erp.customersByIds(['CUST-0001']))).kind).toBe('timeout');
    expect((await backendFailure(erp.customersByIds(['CUST-0001']))).kind).toBe('timeout');
    expect(circuit.state()).toMatchObject({ state: 'open', failures: 2, lastError: expect.stringMatching(/timed out after 150 ms/) });
    // Open: no timeout spent, no request sent.
    expect((await backendFailure(erp.customersByIds(['CUST-0001']))).kind).toBe('circuit-open');
    expect(await requestsToSim()).toBe(2);
  });

  it('half-open lets ONE trial call through while the others still fail fast, and closes when it succeeds', async () => {
    const transitions: string[] = [];
    const { connector: erp, circuit } = connect({
      minimumCalls: 2,
      openMs: 200,
      onStateChange: (backend, from, to) => transitions.push(`${backend}: ${from} → ${to}`),
    });
    await setSimulatorFault(sim.url, { mode: 'down' });
    await backendFailure(erp.customersByIds(['CUST-0001']));
    await backendFailure(erp.customersByIds(['CUST-0001']));
    await eventually(() => circuit.state().state === 'half-open', 'the open period to end');
    // Healed, but slow enough that the trial is still under way while the other calls arrive.
    await setSimulatorFault(sim.url, { mode: 'slow', latencyMs: 300 });
    await resetSimulatorStats(sim.url);

    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => erp.customersByIds(['CUST-0001'])));
    const answered = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value[0]?.id);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : [])).map((e: unknown) => (e instanceof Error ? e.message : String(e)));
    expect(answered).toEqual(['CUST-0001']);
    expect(refused).toHaveLength(5);
    for (const message of refused) expect(message).toMatch(/circuit half-open .* a trial call is under way/);
    expect(await requestsToSim()).toBe(1);
    expect(circuit.state()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    expect(transitions).toEqual(['erp: closed → open', 'erp: open → half-open', 'erp: half-open → closed']);
    // Closed again: calls flow.
    expect(await erp.customersByIds(['CUST-0002'])).toMatchObject([{ id: 'CUST-0002' }]);
  });

  it('opens again when the trial call fails', async () => {
    const { connector: erp, circuit } = connect({ minimumCalls: 2, openMs: 200 });
    await setSimulatorFault(sim.url, { mode: 'down' });
    await backendFailure(erp.customersByIds(['CUST-0001']));
    await backendFailure(erp.customersByIds(['CUST-0001']));
    await eventually(() => circuit.state().state === 'half-open', 'the open period to end');
    await resetSimulatorStats(sim.url);
    expect((await backendFailure(erp.customersByIds(['CUST-0001']))).kind).toBe('reset');
    expect(circuit.state().state).toBe('open');
    expect((await backendFailure(erp.customersByIds(['CUST-0001']))).kind).toBe('circuit-open');
    expect(await requestsToSim()).toBe(1);
  });

  it('notices the recovery with its background probe, with no traffic at all', async () => {
    const transitions: [CircuitState, CircuitState][] = [];
    const { connector: erp, circuit } = connect({
      minimumCalls: 2,
      openMs: 200,
      probe: (connector) => connector.listProducts({ first: 1 }),
      onStateChange: (_backend, from, to) => transitions.push([from, to]),
    });
    await setSimulatorFault(sim.url, { mode: 'down' });
    await backendFailure(erp.customersByIds(['CUST-0001']));
    await backendFailure(erp.customersByIds(['CUST-0001']));
    // While the ERP is down, each probe fails and the circuit opens again.
    await eventually(() => transitions.filter(([from, to]) => from === 'half-open' && to === 'open').length >= 2, 'two failed probes');
    expect(circuit.state().lastError).toMatch(/GET \/api\/v2\/items/);

    await setSimulatorFault(sim.url, { mode: 'none' });
    await resetSimulatorStats(sim.url);
    await eventually(() => circuit.state().state === 'closed', 'the probe to close the circuit');
    // Only the probe reached the ERP: nobody else called.
    const { requests } = await readSimulatorStats(sim.url);
    expect(Object.keys(requests)).toEqual(['GET /api/v2/items']);
    expect(await erp.customersByIds(['CUST-0001'])).toMatchObject([{ id: 'CUST-0001' }]);
  });
});
