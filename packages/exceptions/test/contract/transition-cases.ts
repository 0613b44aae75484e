import { expect, it } from '@jest/globals';
import type { ExceptionStore } from '../../src';
import { at, postingReport, T0 } from '../fixtures';
import type { StoreUnderTest } from './exception-store-contract';

const LEASE = 30_000;

/** Replay claims, replayed and discarded: every transition happens once, whoever races for it. */
export function transitionCases(subject: StoreUnderTest): void {
  const store = (): ExceptionStore => subject.store;
  const open = async () => (await store().record(postingReport(), T0)).exception;

  it('claims an open exception for one replay at a time and closes it as replayed with the resolution', async () => {
    const { id } = await open();
    const claim = await store().claimReplay(id, 'alice', at(1_000), LEASE);
    if (claim.status !== 'claimed') throw new Error(`expected a claim, got ${claim.status}`);
    expect(claim.exception.replayClaim).toEqual({ token: claim.token, by: 'alice', until: at(31_000).toISOString() });
    expect(await store().claimReplay(id, 'bob', at(2_000), LEASE)).toMatchObject({ status: 'in-progress' });

    const replayed = await store().markReplayed(id, claim.token, { by: 'alice', at: at(3_000), note: 'requeued' });
    expect(replayed).toMatchObject({ state: 'replayed', replayClaim: null, resolution: { by: 'alice', at: at(3_000).toISOString(), note: 'requeued' } });
    expect(await store().markReplayed(id, claim.token, { by: 'alice', at: at(4_000), note: 'again' })).toBeNull();
    expect(await store().claimReplay(id, 'bob', at(5_000), LEASE)).toMatchObject({ status: 'not-open', exception: { state: 'replayed' } });
    expect(await store().claimReplay('EXC-missing', 'bob', T0, LEASE)).toEqual({ status: 'not-found' });
  });

  it('lets a claim that expired be taken over, and then its old holder can no longer close it', async () => {
    const { id } = await open();
    const first = await store().claimReplay(id, 'alice', T0, LEASE);
    expect(await store().claimReplay(id, 'bob', at(LEASE - 1), LEASE)).toMatchObject({ status: 'in-progress' });
    const second = await store().claimReplay(id, 'bob', at(LEASE), LEASE);
    if (first.status !== 'claimed' || second.status !== 'claimed') throw new Error('expected both claims');
    expect(await store().markReplayed(id, first.token, { by: 'alice', at: at(LEASE + 1), note: null })).toBeNull();
    expect(await store().releaseReplay(id, first.token)).toBeNull();
    expect(await store().markReplayed(id, second.token, { by: 'bob', at: at(LEASE + 2), note: null })).toMatchObject({ state: 'replayed', resolution: { by: 'bob' } });
  });

  it('gives a released claim back: the exception stays open and can be claimed again', async () => {
    const { id } = await open();
    const claim = await store().claimReplay(id, 'alice', T0, LEASE);
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    expect(await store().releaseReplay(id, claim.token)).toMatchObject({ state: 'open', replayClaim: null });
    expect(await store().claimReplay(id, 'bob', at(1), LEASE)).toMatchObject({ status: 'claimed' });
  });

  it('counts a recurrence during a replay without dropping the claim', async () => {
    const report = postingReport();
    const { id } = (await store().record(report, T0)).exception;
    const claim = await store().claimReplay(id, 'alice', at(1), LEASE);
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    expect(await store().record(report, at(2))).toMatchObject({ created: false, exception: { id, attempts: 6, replayClaim: { token: claim.token } } });
    expect(await store().markReplayed(id, claim.token, { by: 'alice', at: at(3), note: null })).toMatchObject({ state: 'replayed', attempts: 6 });
  });

  it('discards an open exception with who and why; not one being replayed or already closed', async () => {
    const { id } = await open();
    expect(await store().discard(id, { by: 'carol', at: at(1), note: 'customer cancelled by phone' })).toMatchObject({
      status: 'discarded',
      exception: { state: 'discarded', resolution: { by: 'carol', at: at(1).toISOString(), note: 'customer cancelled by phone' } },
    });
    expect(await store().discard(id, { by: 'dave', at: at(2), note: 'again' })).toMatchObject({ status: 'not-open', exception: { resolution: { by: 'carol' } } });
    expect(await store().claimReplay(id, 'dave', at(3), LEASE)).toMatchObject({ status: 'not-open' });

    const claimed = await open();
    await store().claimReplay(claimed.id, 'alice', T0, LEASE);
    expect(await store().discard(claimed.id, { by: 'carol', at: at(1), note: 'x' })).toMatchObject({ status: 'in-progress' });
    expect(await store().discard(claimed.id, { by: 'carol', at: at(LEASE), note: 'claim expired' })).toMatchObject({ status: 'discarded' });
    expect(await store().discard('EXC-missing', { by: 'carol', at: T0, note: 'x' })).toEqual({ status: 'not-found' });
  });

  it('lets exactly one of many replicas racing to replay or discard one exception win', async () => {
    const replicas = [store(), await subject.replica(), await subject.replica()];
    replicas.slice(1).forEach(subject.closeAfter);
    for (let round = 0; round < 3; round += 1) {
      const { id } = await open();
      const attempts = await Promise.all(
        Array.from({ length: 9 }, (_, i) => {
          const replica = replicas[i % replicas.length]!;
          return i % 3 === 2
            ? replica.discard(id, { by: `op${i}`, at: at(1), note: 'race' }).then((r) => r.status === 'discarded')
            : replica.claimReplay(id, `op${i}`, at(1), LEASE).then((r) => r.status === 'claimed');
        }),
      );
      expect(attempts.filter(Boolean)).toHaveLength(1);
    }
  });
}
