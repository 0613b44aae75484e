import { expect, it } from '@jest/globals';
import { isExceptionId, type ExceptionStore, type HubException } from '../../src';
import { at, postingReport, T0 } from '../fixtures';
import type { StoreUnderTest } from './exception-store-contract';

/** Recording, dedupe and listing: the store's promises to the components that report failures and to operators. */
export function recordAndListCases(subject: StoreUnderTest): void {
  const store = (): ExceptionStore => subject.store;

  it('records an exception with every field and keeps the raw payload verbatim', async () => {
    const rawPayload = '  {"not": "json",, ünïcode ✓\r\n\ttrailing  ';
    const { exception, created } = await store().record(postingReport({ subject: 'ORD-H1', rawPayload, channel: 'edi', warehouseId: 'WH-2', attempts: 4 }), T0);
    expect(created).toBe(true);
    expect(isExceptionId(exception.id)).toBe(true);
    const expected: HubException = {
      id: exception.id,
      kind: 'erp-posting',
      channel: 'edi',
      warehouseId: 'WH-2',
      subject: 'ORD-H1',
      reason: 'HTTP 500 from the ERP',
      rawPayload,
      attempts: 4,
      firstSeenAt: T0.toISOString(),
      lastSeenAt: T0.toISOString(),
      state: 'open',
      resolution: null,
      replayClaim: null,
    };
    expect(exception).toEqual(expected);
    expect(await store().get([exception.id])).toEqual([expected]);
  });

  it('updates the open exception of the same kind and subject instead of opening another', async () => {
    const first = await store().record(postingReport({ subject: 'ORD-H2', attempts: 3, rawPayload: 'first' }), T0);
    const again = await store().record(postingReport({ subject: 'ORD-H2', attempts: 2, reason: 'HTTP 503', rawPayload: 'second' }), at(60_000));
    expect(again.created).toBe(false);
    expect(again.exception).toMatchObject({ id: first.exception.id, attempts: 5, reason: 'HTTP 503', rawPayload: 'first', firstSeenAt: T0.toISOString(), lastSeenAt: at(60_000).toISOString() });
    const otherKind = await store().record(postingReport({ subject: 'ORD-H2', kind: 'wms-posting' }), T0);
    const otherSubject = await store().record(postingReport({ subject: 'ORD-H3' }), T0);
    expect(otherKind.created && otherSubject.created).toBe(true);
    expect((await store().list({ subject: 'ORD-H2' }, { first: 10, after: null })).items.map((e) => e.kind).sort()).toEqual(['erp-posting', 'wms-posting']);
  });

  it('opens a new exception when the item fails again after its exception was closed', async () => {
    const { exception } = await store().record(postingReport({ subject: 'ORD-H4' }), T0);
    await store().discard(exception.id, { by: 'ops', at: at(1), note: 'known issue' });
    const again = await store().record(postingReport({ subject: 'ORD-H4' }), at(2));
    expect(again.created).toBe(true);
    expect(again.exception.id).not.toBe(exception.id);
    const [old] = await store().get([exception.id]);
    expect(old).toMatchObject({ state: 'discarded', attempts: 3 });
  });

  it('keeps one open exception however many replicas record the same failure at once', async () => {
    const other = await subject.replica();
    subject.closeAfter(other);
    const report = postingReport({ subject: 'ORD-H5', attempts: 1 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? store() : other).record(report, at(i))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const listed = await store().list({ subject: 'ORD-H5' }, { first: 10, after: null });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ attempts: 8, state: 'open' });
  });

  it('refuses a malformed report instead of storing it', async () => {
    await expect(store().record({ ...postingReport(), kind: 'bogus' as never })).rejects.toThrow(/kind must be one of/); // a caller outside TypeScript
    await expect(store().record(postingReport({ subject: ' ' }))).rejects.toThrow(/subject/);
    await expect(store().record(postingReport({ attempts: 0 }))).rejects.toThrow(/attempts/);
  });

  it('answers get in request order with null for unknown ids, and keeps stored state apart from callers', async () => {
    const a = (await store().record(postingReport(), T0)).exception;
    const b = (await store().record(postingReport(), T0)).exception;
    const got = await store().get([b.id, 'EXC-missing', a.id]);
    expect(got.map((e) => e?.id ?? null)).toEqual([b.id, null, a.id]);
    got[0]!.state = 'discarded';
    expect((await store().get([b.id]))[0]?.state).toBe('open');
    expect(await store().get([])).toEqual([]);
  });

  it('lists newest first with filters by kind, state, channel, subject and first-seen time', async () => {
    const old = (await store().record(postingReport({ channel: 'web' }), at(-3_600_000))).exception;
    const edi = (await store().record(postingReport({ kind: 'malformed-edi', channel: 'edi', subject: 'ISA-000001' }), at(-60_000))).exception;
    const wms = (await store().record(postingReport({ kind: 'wms-posting', channel: 'marketplace', warehouseId: 'WH-3' }), T0)).exception;
    await store().discard(wms.id, { by: 'ops', at: at(1), note: 'cancelled anyway' });
    const ids = async (filter: Parameters<ExceptionStore['list']>[0]) => (await store().list(filter, { first: 50, after: null })).items.map((e) => e.id);

    expect(await ids({})).toEqual([wms.id, edi.id, old.id]);
    expect(await ids({ kinds: ['malformed-edi', 'wms-posting'] })).toEqual([wms.id, edi.id]);
    expect(await ids({ states: ['open'] })).toEqual([edi.id, old.id]);
    expect(await ids({ states: ['discarded', 'replayed'], kinds: ['wms-posting'] })).toEqual([wms.id]);
    expect(await ids({ channel: 'edi' })).toEqual([edi.id]);
    expect(await ids({ subject: 'ISA-000001' })).toEqual([edi.id]);
    expect(await ids({ firstSeenBefore: at(-60_000).toISOString() })).toEqual([old.id]);
    expect(await ids({ firstSeenAfter: at(-60_000).toISOString() })).toEqual([wms.id, edi.id]);
    expect(await ids({ firstSeenAfter: at(-7_200_000).toISOString(), firstSeenBefore: T0.toISOString(), kinds: [], states: null })).toEqual([edi.id, old.id]);
    expect(await ids({ channel: 'nobody' })).toEqual([]);
  });

  it('pages through everything with the cursor: no duplicates, no gaps, a last page', async () => {
    for (let i = 0; i < 7; i += 1) await store().record(postingReport(), at(i * 1_000));
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await store().list({}, { first: 3, after });
      seen.push(...page.items.map((e) => e.id));
      after = page.nextCursor;
      pages += 1;
    } while (after !== null && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort().reverse()).toEqual(seen);
    await expect(store().list({}, { first: 0, after: null })).rejects.toThrow(/first/);
  });
}
