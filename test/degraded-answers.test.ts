import { generateWorld } from '@crossdock/simulators';
import { setSimulatorFault, startHubStack, UNIFIED_ORDER_VIEW, type HubStack, type OrderViewResult } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const world = generateWorld();

describe('degraded answers through the gateway (real processes, FerretDB)', () => {
  let hub: HubStack;

  beforeAll(async () => {
    hub = await startHubStack();
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('answers the unified order view from the ERP snapshots while the ERP is down, and says so', async () => {
    const warmedAt = Date.now();
    const live = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, { first: 10 });
    expect(live.status).toBe(200);
    expect(live.body.errors).toBeUndefined();
    expect(live.body.extensions).toBeUndefined();
    const seen = new Set(live.body.data!.orders.edges.map((e) => e.node.customer.id));
    const stranger = world.customers.find((c) => !seen.has(c.id))!;

    await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'down' });
    try {
      // Snapshots are written behind the requests, a moment later: wait for them, within bounds.
      const degraded = await eventually(async () => {
        const answer = await hub.query<OrderViewResult>(UNIFIED_ORDER_VIEW, { first: 10 });
        return answer.body.errors === undefined ? answer : null;
      });
      expect(degraded.status).toBe(200);
      expect(degraded.body.data).toEqual(live.body.data);
      const report = degraded.body.extensions?.degraded;
      expect(report).toEqual([{ subgraph: 'erp', servedFrom: 'cache', asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) }]);
      expect(degraded.body.extensions).toEqual({ degraded: report });
      // As of the warming request: the snapshots are what the ERP answered then.
      const asOf = Array.isArray(report) ? Date.parse(String(report[0]?.asOf)) : Number.NaN;
      expect(asOf).toBeGreaterThanOrEqual(warmedAt);
      expect(asOf).toBeLessThanOrEqual(Date.now());

      const never = await hub.query<{ customer: { id: string; name: string } | null }>(
        /* GraphQL */ `query ($id: ID!) { customer(id: $id) { id name } }`,
        { id: stranger.id },
      );
      expect(never.status).toBe(200);
      expect(never.body.data).toEqual({ customer: null });
      expect(never.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['customer'], 'BACKEND_UNAVAILABLE']]);
    } finally {
      await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'none' });
    }
  });
});

/** Polls `attempt` until it yields a value (bounded), for outcomes that settle a moment later. */
async function eventually<T>(attempt: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`no such outcome within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
