import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExceptionReport, HubException } from '@crossdock/exceptions';
import { encodeCursor } from '@crossdock/model';
import { errorCodes } from '@crossdock/testkit';
import { startCaptureHarness, type CaptureHarness } from './capture-harness';
import { discardException, listExceptions, operator, replayExceptions, type ExceptionNode } from './ops-fixtures';

describe('exceptions for operators (ops:admin)', () => {
  let h: CaptureHarness;
  const recorded: HubException[] = [];
  const record = async (report: Partial<ExceptionReport>, at: string): Promise<HubException> => {
    const full: ExceptionReport = { kind: 'malformed-edi', subject: `ISA-${recorded.length}`, reason: 'segment N1 missing', rawPayload: `ISA*00*~ST*850*${recorded.length}~`, channel: 'edi', ...report };
    const { exception } = await h.stores.exceptionStore.record(full, new Date(at));
    recorded.push(exception);
    return exception;
  };
  const ids = (nodes: readonly ExceptionNode[] | undefined) => (nodes ?? []).map((node) => node.id);

  beforeAll(async () => {
    h = await startCaptureHarness();
    await record({}, '2026-03-01T08:00:00Z');
    await record({ kind: 'malformed-webhook', channel: 'web', subject: 'delivery-17', rawPayload: '{"order": [unclosed' }, '2026-03-01T09:00:00Z');
    await record({ kind: 'erp-posting', channel: 'marketplace', subject: 'ORD-HNOTSTORED', rawPayload: '{}' }, '2026-03-01T10:00:00Z');
    await record({ kind: 'event-publish', channel: null, subject: 'inventoryChanged:SKU-00001' }, '2026-03-01T11:00:00Z');
  });
  afterAll(() => h.close());

  it('lists newest first with every field, filtered by kind, state, channel, subject and age', async () => {
    const all = await listExceptions(h);
    expect(all.errors).toEqual([]);
    expect(ids(all.page?.edges.map((e) => e.node))).toEqual([...recorded].reverse().map((e) => e.id));
    const webhook = all.page?.edges.find((edge) => edge.node.kind === 'MALFORMED_WEBHOOK')?.node;
    expect(webhook).toEqual({
      id: recorded[1]!.id,
      kind: 'MALFORMED_WEBHOOK',
      channel: 'web',
      warehouseId: null,
      subject: 'delivery-17',
      reason: 'segment N1 missing',
      rawPayload: '{"order": [unclosed',
      attempts: 1,
      firstSeenAt: '2026-03-01T09:00:00.000Z',
      lastSeenAt: '2026-03-01T09:00:00.000Z',
      state: 'OPEN',
      resolution: null,
      order: null,
    });
    // A posting's exception points at its order; one no longer stored resolves to null.
    expect(all.page?.edges.find((edge) => edge.node.kind === 'ERP_POSTING')?.node.order).toBeNull();

    const filtered = async (filter: Record<string, unknown>) => ids((await listExceptions(h, { filter })).page?.edges.map((e) => e.node));
    expect(await filtered({ kinds: ['MALFORMED_EDI', 'EVENT_PUBLISH'] })).toEqual([recorded[3]!.id, recorded[0]!.id]);
    expect(await filtered({ channel: 'marketplace' })).toEqual([recorded[2]!.id]);
    expect(await filtered({ subject: 'delivery-17', states: ['OPEN'] })).toEqual([recorded[1]!.id]);
    expect(await filtered({ firstSeenBefore: '2026-03-01T10:00:00+01:00' })).toEqual([recorded[0]!.id]);
    expect(await filtered({ firstSeenAfter: '2026-03-01T10:00:00Z', kinds: [] })).toEqual([recorded[3]!.id, recorded[2]!.id]);
  });

  it('pages with first/after without duplicates and refuses bad arguments', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const { page: connection } = await listExceptions(h, { first: 3, after });
      seen.push(...ids(connection?.edges.map((e) => e.node)));
      after = connection?.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      if (after === null) break;
    }
    expect(seen).toEqual(ids((await listExceptions(h, { first: 100 })).page?.edges.map((e) => e.node)));
    expect(new Set(seen).size).toBe(seen.length);

    // A cursor of another list, and one of this list whose position was forged.
    const forged = [encodeCursor('orders', '0.'), encodeCursor('exceptions', '0.ORD-1')];
    for (const variables of [{ first: 0 }, { first: 101 }, ...forged.map((cursor) => ({ after: cursor })), { filter: { firstSeenAfter: '2026-02-30T00:00:00Z' } }]) {
      expect(errorCodes((await listExceptions(h, variables)).errors)).toEqual([{ code: 'BAD_USER_INPUT', path: ['exceptions'] }]);
    }
    expect(errorCodes((await replayExceptions(h, [])).errors)).toEqual([{ code: 'BAD_USER_INPUT', path: ['replayExceptions'] }]);
  });

  it('refuses every operation without ops:admin (FORBIDDEN) and allows the unsigned in-process caller', async () => {
    const customerService = operator({ subject: 'agent', scopes: ['orders:read', 'orders:write', 'customers:read'] });
    expect(errorCodes((await listExceptions(h, {}, customerService)).errors)).toEqual([{ code: 'FORBIDDEN', path: ['exceptions'] }]);
    expect(errorCodes((await replayExceptions(h, [recorded[0]!.id], customerService)).errors)).toEqual([{ code: 'FORBIDDEN', path: ['replayExceptions'] }]);
    expect(errorCodes((await discardException(h, recorded[0]!.id, 'x', customerService)).errors)).toEqual([{ code: 'FORBIDDEN', path: ['discardException'] }]);
    expect((await h.stores.exceptionStore.get([recorded[0]!.id]))[0]?.state).toBe('open');
    expect((await listExceptions(h, {}, null)).page?.edges.length).toBe(recorded.length);
  });

  it('discards with a reason kept in the resolution; a discarded exception is not replayed', async () => {
    const target = recorded[1]!;
    const blank = await discardException(h, target.id, '  ');
    expect(blank.payload?.errors).toEqual([{ code: 'INVALID_REASON', message: expect.stringContaining('reason'), field: ['reason'] }]);
    const { payload } = await discardException(h, target.id, 'test delivery from the store vendor');
    expect(payload?.errors).toEqual([]);
    expect(payload?.exception).toMatchObject({ state: 'DISCARDED', resolution: { by: 'ops-alice', note: 'test delivery from the store vendor' } });
    const { results } = await replayExceptions(h, [target.id, recorded[0]!.id, 'EXC-0000000000000000000000000']);
    expect(results?.map((r) => [r.id, r.outcome])).toEqual([
      [target.id, 'DISCARDED'],
      [recorded[0]!.id, 'NOT_REPLAYABLE'],
      ['EXC-0000000000000000000000000', 'NOT_FOUND'],
    ]);
    expect((await discardException(h, 'EXC-0000000000000000000000000', 'gone')).payload?.errors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['id']]]);
  });

  it('answers NOT_REPLAYABLE for a posting whose order is not in the order store, leaving it open', async () => {
    const posting = recorded[2]!;
    const { results } = await replayExceptions(h, [posting.id]);
    expect(results?.[0]).toMatchObject({ outcome: 'NOT_REPLAYABLE', message: expect.stringContaining('not in the order store'), exception: { state: 'OPEN' } });
  });
});
