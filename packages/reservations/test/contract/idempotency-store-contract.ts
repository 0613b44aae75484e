import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidReservationInputError, type IdempotencyStore } from '../../src';
import { sleep, type StoreFixture } from './stock-fixtures';

/** Long enough never to lapse mid-test, even on a loaded machine. */
const LONG = 60_000;
/** Short leases and TTLs are checked by waiting well past them: only "later", never "how fast". */
const SHORT = 30;
const WELL_PAST_SHORT = 150;

/** The one contract every IdempotencyStore adapter passes. `factory` gives each test a fresh store. */
export function describeIdempotencyStoreContract(name: string, factory: () => Promise<StoreFixture<IdempotencyStore>>): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let fixture: StoreFixture<IdempotencyStore> | undefined;
    const store = (): IdempotencyStore => {
      if (!fixture) throw new Error('no store: the factory failed');
      return fixture.store;
    };
    beforeEach(async () => {
      fixture = await factory();
    });
    afterEach(async () => {
      await fixture?.close();
      fixture = undefined;
    });

    it('lets one caller start a key; others see it in progress until it is done', async () => {
      expect(await store().begin('web:k1', LONG)).toEqual({ state: 'started' });
      expect(await store().begin('web:k1', LONG)).toEqual({ state: 'in-progress' });
      expect(await store().begin('web:k2', LONG)).toEqual({ state: 'started' });
      await store().finish('web:k1', '{"orderId":"o1"}', LONG);
      expect(await store().begin('web:k1', LONG)).toEqual({ state: 'done', result: '{"orderId":"o1"}' });
    });

    it('keeps results that look like the store\'s own markers, and empty ones', async () => {
      await store().begin('k', LONG);
      await store().finish('k', 'P', LONG);
      expect(await store().begin('k', LONG)).toEqual({ state: 'done', result: 'P' });
      await store().finish('k2', '', LONG);
      expect(await store().begin('k2', LONG)).toEqual({ state: 'done', result: '' });
    });

    it('abandon frees a claim so a retry may start again, but never drops a stored answer', async () => {
      await store().begin('k', LONG);
      await store().abandon('k');
      expect(await store().begin('k', LONG)).toEqual({ state: 'started' });
      await store().finish('k', 'answer', LONG);
      await store().abandon('k');
      expect(await store().begin('k', LONG)).toEqual({ state: 'done', result: 'answer' });
      await store().abandon('never-begun');
      expect(await store().begin('never-begun', LONG)).toEqual({ state: 'started' });
    });

    it('frees a crashed claim once its lease has passed', async () => {
      await store().begin('k', SHORT);
      await sleep(WELL_PAST_SHORT);
      expect(await store().begin('k', LONG)).toEqual({ state: 'started' });
    });

    it('stores a finish that comes after the lease ran out', async () => {
      await store().begin('k', SHORT);
      await sleep(WELL_PAST_SHORT);
      await store().finish('k', 'late answer', LONG);
      expect(await store().begin('k', LONG)).toEqual({ state: 'done', result: 'late answer' });
    });

    it('forgets a stored answer after its TTL', async () => {
      await store().begin('k', LONG);
      await store().finish('k', 'answer', SHORT);
      await sleep(WELL_PAST_SHORT);
      expect(await store().begin('k', LONG)).toEqual({ state: 'started' });
    });

    it('refuses empty keys and non-positive durations', async () => {
      await expect(store().begin('', LONG)).rejects.toBeInstanceOf(InvalidReservationInputError);
      await expect(store().begin('k', 0)).rejects.toBeInstanceOf(InvalidReservationInputError);
      await expect(store().finish('k', 'x', 1.5)).rejects.toBeInstanceOf(InvalidReservationInputError);
      await expect(store().abandon('')).rejects.toBeInstanceOf(InvalidReservationInputError);
    });
  });
}
