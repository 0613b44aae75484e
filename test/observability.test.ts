import { setSimulatorFault, startHubStack, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from './support/drill-kit';
import { metricAt, sampleValue, scrape } from './support/metrics-kit';
import { cheapSkus, freshKey, goodCustomer, place, world } from './support/order-capture-kit';

const WRITE_SCOPES = ['orders:write', 'orders:read', 'pricing:read', 'inventory:read'];
const CHANNEL = 'b2b-portal';

interface DriftReport {
  ranAt: string | null;
  threshold: number;
  drifting: { sku: string; warehouseId: string; hubOnHand: number; wmsOnHand: number; onHandDrift: number; exceptionId: string | null }[];
}

describe('observability: metrics move when the thing they count happens (real processes, Redis, FerretDB)', () => {
  let hub: HubStack;
  let writer: string;
  let operator: string;
  const skus = cheapSkus();

  beforeAll(async () => {
    hub = await startHubStack({
      // A short open period so the drill's circuit closes again quickly; reconciliation on demand only.
      env: { CIRCUIT_OPEN_MS: '1000', INVENTORY_RECONCILE_INTERVAL_MS: '0', INVENTORY_DRIFT_THRESHOLD: '3' },
    });
    writer = await hub.token({ scopes: WRITE_SCOPES });
    operator = await hub.token({ scopes: ['ops:admin', 'orders:read'] });
  });

  afterAll(async () => {
    await hub?.stop();
  });

  const placeOne = async (sku: string) => {
    const answer = await place(hub.query, writer, { idempotencyKey: freshKey('obs'), channel: CHANNEL, customerId: goodCustomer(), lines: [{ sku, quantity: 1 }] });
    expect(answer.errors).toEqual([]);
    return answer.order!;
  };

  it('serves /metrics on the gateway and every subgraph, with the gateway timing operations by name and client class', async () => {
    const { status } = await hub.query('query ObservedOrders { orders(first: 2) { edges { node { id status } } } }');
    expect(status).toBe(200);
    for (const url of [hub.gatewayUrl, ...(['erp', 'wms', 'commerce', 'shipping'] as const).map((name) => hub.subgraph(name).url)]) {
      const samples = await scrape(url);
      expect(sampleValue(samples, 'crossdock_process_info')).toBe(1);
    }
    const gateway = await scrape(hub.gatewayUrl);
    expect(sampleValue(gateway, 'crossdock_graphql_operation_duration_seconds_count', { operation: 'ObservedOrders', client_class: 'internal', outcome: 'ok' })).toBe(1);
    expect(sampleValue(gateway, 'crossdock_subgraph_fetch_duration_seconds_count', { subgraph: 'commerce', outcome: 'ok' })).toBeGreaterThan(0);
    // The commerce subgraph called its platform for those orders, and timed it.
    expect(await metricAt(hub.subgraph('commerce').url, 'crossdock_backend_call_duration_seconds_count', { backend: 'commerce', outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('counts a request refused before execution (no token) as an operation with outcome refused', async () => {
    const response = await fetch(`${hub.gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(response.status).toBe(401);
    expect(await metricAt(hub.gatewayUrl, 'crossdock_graphql_operation_duration_seconds_count', { outcome: 'refused' })).toBeGreaterThan(0);
  });

  it('a placed order moves the order cycle-time and ERP posting-lag series of its channel', async () => {
    const commerce = hub.subgraph('commerce').url;
    const allocated = { channel: CHANNEL, stage: 'placed_to_allocated' };
    const before = await metricAt(commerce, 'crossdock_order_cycle_seconds_count', allocated);
    const postedBefore = await metricAt(commerce, 'crossdock_erp_posting_lag_seconds_count', { channel: CHANNEL });
    await placeOne(skus[0]!);
    await eventually('the placed order in the cycle-time series', async () =>
      (await metricAt(commerce, 'crossdock_order_cycle_seconds_count', allocated)) === before + 1 ? true : null,
    );
    await eventually('the ERP posting in the posting-lag series', async () =>
      (await metricAt(commerce, 'crossdock_erp_posting_lag_seconds_count', { channel: CHANNEL })) === postedBefore + 1 ? true : null,
    );
  });

  it('a WMS adjustment the hub missed shows up as drift, in the report, the gauges and the exception store', async () => {
    const sku = skus[1]!;
    const order = await placeOne(sku);
    const warehouseId = order.allocations[0]!.warehouse.id;
    // A receipt in the WMS that nobody told the hub of: no webhook is configured in this stack.
    const adjust = await fetch(`${hub.simulatorUrls.wms}/_admin/adjust`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, warehouseId, delta: 7 }),
    });
    expect(adjust.status).toBe(200);

    const refused = await fetch(`${hub.gatewayUrl}/ops/api/drift/run`, { method: 'POST', headers: { authorization: `Bearer ${writer}` } });
    expect(refused.status).toBe(403);
    const run = await fetch(`${hub.gatewayUrl}/ops/api/drift/run`, { method: 'POST', headers: { authorization: `Bearer ${operator}` } });
    expect(run.status).toBe(200);
    const report = (await run.json()) as DriftReport; // the WMS subgraph's drift report shape
    const drift = report.drifting.find((d) => d.sku === sku && d.warehouseId === warehouseId);
    expect(drift).toMatchObject({ onHandDrift: 7, wmsOnHand: expect.any(Number) });
    expect(drift!.wmsOnHand - drift!.hubOnHand).toBe(7);
    expect(drift!.exceptionId).toMatch(/^EXC-/);
    // Nothing else drifted: the other positions the hub loaded agree with the WMS.
    expect(report.drifting.filter((d) => d.exceptionId !== null).map((d) => `${d.sku}@${d.warehouseId}`)).toEqual([`${sku}@${warehouseId}`]);

    const wms = await scrape(hub.subgraph('wms').url);
    expect(sampleValue(wms, 'crossdock_inventory_drift_units', { warehouse: warehouseId, measure: 'on_hand' })).toBe(7);
    expect(sampleValue(wms, 'crossdock_inventory_drift_sku_units', { sku, warehouse: warehouseId })).toBe(7);
    expect(sampleValue(wms, 'crossdock_exceptions_recorded_total', { kind: 'inventory-drift', warehouse: warehouseId })).toBe(1);

    const { body } = await hub.query<{ exceptions: { edges: { node: { id: string; subject: string; warehouseId: string } }[] } }>(
      'query { exceptions(filter: { kinds: [INVENTORY_DRIFT], states: [OPEN] }) { edges { node { id subject warehouseId } } } }',
      {},
      operator,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.exceptions.edges.map((e) => e.node)).toEqual([{ id: drift!.exceptionId, subject: `${sku}@${warehouseId}`, warehouseId }]);
  });

  it('a fault drill moves the circuit state, the backend error count and the fallback answers', async () => {
    const erp = hub.subgraph('erp').url;
    const customerId = world.customers[0]!.id;
    const read = () => hub.query(/* GraphQL */ 'query DrillCustomer($id: ID!) { customer(id: $id) { id name } }', { id: customerId });
    // A live answer first: the fallback cache keeps it.
    expect((await read()).body.errors).toBeUndefined();
    const servedBefore = await metricAt(erp, 'crossdock_fallback_answers_total', { subgraph: 'erp' });
    expect(await metricAt(erp, 'crossdock_circuit_state', { backend: 'erp' })).toBe(0);

    await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'down' });
    try {
      await eventually('the erp circuit open', async () => {
        await read();
        return (await metricAt(erp, 'crossdock_circuit_state', { backend: 'erp' })) === 2 ? true : null;
      });
      const samples = await scrape(erp);
      expect(sampleValue(samples, 'crossdock_fallback_answers_total', { subgraph: 'erp', kind: 'erp.customer' })).toBeGreaterThan(servedBefore);
      expect(sampleValue(samples, 'crossdock_backend_call_errors_total', { backend: 'erp' })).toBeGreaterThan(0);
      expect(sampleValue(samples, 'crossdock_circuit_transitions_total', { backend: 'erp', to: 'open' })).toBeGreaterThan(0);
      // The gateway counts the degraded answers as such.
      expect(await metricAt(hub.gatewayUrl, 'crossdock_graphql_operation_duration_seconds_count', { operation: 'DrillCustomer', outcome: 'degraded' })).toBeGreaterThan(0);
      const overview = await fetch(`${hub.gatewayUrl}/ops/api/overview`, { headers: { authorization: `Bearer ${operator}` } });
      const circuits = ((await overview.json()) as { circuits: { service: string; backend: string; state: string }[] }).circuits; // the console's overview shape
      expect(circuits).toContainEqual({ service: 'erp', backend: 'erp', state: 'open' });
    } finally {
      await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'none' });
    }
    await eventually('the erp circuit closed again', async () => ((await metricAt(erp, 'crossdock_circuit_state', { backend: 'erp' })) === 0 ? true : null));
  });
});
