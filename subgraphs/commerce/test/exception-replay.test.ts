import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PlacedOrder } from '@crossdock/orders';
import { setSimulatorFault } from '@crossdock/testkit';
import { useStoreVariants } from './backing-stores';
import { eventually, erpPostings, sellableSku, stored } from './capture-fixtures';
import { startCaptureHarness, type CaptureHarness } from './capture-harness';
import { exceptionsOf, operator, orderWithFailedErpPosting, replayExceptions } from './ops-fixtures';

const variants = useStoreVariants();

/** Quick give-up, so the ERP outage turns into a FAILED posting within a second. */
const GIVE_UP_FAST = { outbox: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 }, outboxIntervalMs: 20 };

describe.each(variants)('replay of a failed ERP posting (%s)', (_name, stores) => {
  let h: CaptureHarness;
  beforeAll(async () => {
    h = await startCaptureHarness({ stores, background: true, policy: GIVE_UP_FAST });
  });
  afterAll(async () => {
    await setSimulatorFault(h.sims.erp.url, { mode: 'none' });
    await h.close();
  });

  const postedOnce = async (order: PlacedOrder) => {
    const posted = await eventually(async () => {
      const now = await stored(h, order.id);
      return now.postings.erp.state === 'POSTED' ? now : null;
    });
    expect(posted.postings.erp.reference).toMatch(/\S/);
    // A few more worker rounds change nothing: exactly one sales order for the order.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await erpPostings(h.sims.erp, order.id)).salesOrderNos).toEqual([posted.postings.erp.reference]);
    return posted;
  };

  it('records the FAILED posting once with its raw payload, and posts it exactly once after the ERP is fixed and it is replayed', async () => {
    const failed = await orderWithFailedErpPosting(h, sellableSku(60));
    const [exception] = await eventually(async () => {
      const found = await exceptionsOf(h, failed.id);
      return found.length > 0 ? found : null;
    });
    expect(await exceptionsOf(h, failed.id)).toHaveLength(1);
    expect(exception).toMatchObject({ kind: 'ERP_POSTING', state: 'OPEN', channel: 'web', subject: failed.id, attempts: 3, resolution: null, order: { id: failed.id } });
    expect(exception?.reason).toMatch(/erp/i);
    const payload: unknown = JSON.parse(exception?.rawPayload ?? 'null');
    expect(payload).toMatchObject({ id: failed.id, customerId: failed.customerId, lines: failed.lines, postings: { erp: { state: 'FAILED', attempts: 3 } } });
    expect((await erpPostings(h.sims.erp, failed.id)).salesOrderNos).toEqual([]);

    await setSimulatorFault(h.sims.erp.url, { mode: 'none' });
    const { results } = await replayExceptions(h, [exception!.id]);
    expect(results).toEqual([
      expect.objectContaining({ id: exception!.id, outcome: 'REPLAYED', exception: expect.objectContaining({ state: 'REPLAYED', resolution: expect.objectContaining({ by: 'ops-alice' }) }) }),
    ]);
    await postedOnce(failed);

    const again = await replayExceptions(h, [exception!.id], operator({ subject: 'ops-bob' }));
    expect(again.results?.map((r) => r.outcome)).toEqual(['ALREADY_REPLAYED']);
    expect(again.results?.[0]?.exception?.resolution?.by).toBe('ops-alice');
    await postedOnce(failed);
  });

  it('posts once when two operators replay the same exception at the same moment', async () => {
    const failed = await orderWithFailedErpPosting(h, sellableSku(61));
    const [exception] = await eventually(async () => {
      const found = await exceptionsOf(h, failed.id);
      return found.length > 0 ? found : null;
    });
    await setSimulatorFault(h.sims.erp.url, { mode: 'none' });
    const [alice, bob] = await Promise.all([replayExceptions(h, [exception!.id]), replayExceptions(h, [exception!.id], operator({ subject: 'ops-bob' }))]);
    const outcomes = [alice.results?.[0]?.outcome, bob.results?.[0]?.outcome].sort();
    expect(outcomes[1]).toBe('REPLAYED');
    expect(['ALREADY_REPLAYED', 'IN_PROGRESS']).toContain(outcomes[0]);
    await postedOnce(failed);
    expect(await exceptionsOf(h, failed.id)).toEqual([expect.objectContaining({ state: 'REPLAYED', attempts: 3 })]);
  });
});
