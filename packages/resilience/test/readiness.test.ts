import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ErpHttpConnector } from '@crossdock/connectors';
import { backendReadiness, createLogger, startBackendSubgraph } from '@crossdock/service';
import { startErpSimulator, type RunningSimulator } from '@crossdock/simulators';
import { readSimulatorStats, resetSimulatorStats, setSimulatorFault } from '@crossdock/testkit';
import { buildSchema } from 'graphql';
import { Connections, eventually } from './support';

/** The ERP subgraph's readiness call. */
const probe = (erp: ErpHttpConnector) => () => erp.listProducts({ first: 1 });

describe('/ready detail with a circuit breaker', () => {
  let sim: RunningSimulator;
  const connections = new Connections();
  const connect = () => connections.connect(ErpHttpConnector, { backend: 'erp', baseUrl: sim.url, minimumCalls: 2, openMs: 60_000, retryReads: false });

  beforeAll(async () => {
    sim = await startErpSimulator({ port: 0 });
  });
  afterEach(async () => {
    await connections.closeAll();
    await setSimulatorFault(sim.url, { mode: 'none' });
  });
  afterAll(() => sim.close());

  it('is ready with the circuit closed while the backend answers', async () => {
    const { connector: erp, circuit } = connect();
    expect(await backendReadiness('erp', probe(erp), { circuit })).toEqual({ ready: true, checks: { erp: 'up', circuit: 'closed' } });
  });

  it('stays ready through an outage, says so, and answers without calling the backend once the circuit is open', async () => {
    const { connector: erp, circuit } = connect();
    await setSimulatorFault(sim.url, { mode: 'down' });
    expect(await backendReadiness('erp', probe(erp), { circuit })).toEqual({ ready: true, checks: { erp: expect.stringMatching(/^down: .*connection reset/), circuit: 'closed' } });
    expect(await backendReadiness('erp', probe(erp), { circuit })).toEqual({ ready: true, checks: { erp: expect.stringMatching(/^down: /), circuit: 'open' } });
    await resetSimulatorStats(sim.url);
    expect(await backendReadiness('erp', probe(erp), { circuit })).toEqual({ ready: true, checks: { erp: expect.stringMatching(/^down: erp backend: circuit open since /), circuit: 'open' } });
    expect((await readSimulatorStats(sim.url)).total).toBe(0);
  });

  it('stays ready when the backend is too slow for /ready', async () => {
    const { connector: erp, circuit } = connect();
    await setSimulatorFault(sim.url, { mode: 'slow', latencyMs: 400 });
    expect(await backendReadiness('erp', probe(erp), { circuit, timeoutMs: 100 })).toEqual({ ready: true, checks: { erp: 'down: no answer within 100 ms', circuit: 'closed' } });
  });

  it('is not ready when the backend refuses the probe: a misconfiguration that no waiting fixes', async () => {
    const { connector: erp, circuit } = connect();
    const refused = await backendReadiness('erp', () => erp.pricesFor('CUST-9999', ['SKU-00001']), { circuit });
    expect(refused).toEqual({ ready: false, checks: { erp: expect.stringMatching(/^down: .*CustomerNotFound/), circuit: 'closed' } });
  });

  it('without a circuit, an outage still means not ready', async () => {
    const { connector: erp } = connect();
    await setSimulatorFault(sim.url, { mode: 'down' });
    expect(await backendReadiness('erp', probe(erp))).toEqual({ ready: false, checks: { erp: expect.stringMatching(/^down: /) } });
  });

  it('shows the circuit on GET /ready of a backend subgraph', async () => {
    const { connector: erp, circuit } = connect();
    const service = await startBackendSubgraph(
      { name: 'erp', schema: buildSchema('type Query { ok: Boolean }'), createContext: () => ({}), probe: (c: ErpHttpConnector) => c.listProducts({ first: 1 }) },
      { port: 0, host: '127.0.0.1', connector: erp, circuit, subgraphSecret: null, logger: createLogger('erp', 'silent') },
    );
    try {
      const ready = async () => (await fetch(`${service.url}/ready`)).json();
      expect(await ready()).toEqual({ status: 'ready', checks: { erp: 'up', circuit: 'closed' } });
      await setSimulatorFault(sim.url, { mode: 'down' });
      await eventually(async () => JSON.stringify(await ready()).includes('"circuit":"open"'), 'the circuit to open');
      const response = await fetch(`${service.url}/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ready', checks: { circuit: 'open' } });
    } finally {
      await service.close();
    }
  });
});
