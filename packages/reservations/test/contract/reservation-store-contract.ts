import { afterEach, beforeEach, describe } from '@jest/globals';
import type { ReservationStore } from '../../src';
import { lifecycleCases } from './lifecycle-cases';
import { reserveCases } from './reserve-cases';
import type { StoreFixture } from './stock-fixtures';

/**
 * The one contract every ReservationStore adapter passes (DESIGN.md: the in-process substitute
 * must never drift from Redis). `factory` gives each test a fresh, empty store.
 */
export function describeReservationStoreContract(name: string, factory: () => Promise<StoreFixture<ReservationStore>>): void {
  describe(`ReservationStore contract: ${name}`, () => {
    let fixture: StoreFixture<ReservationStore> | undefined;
    const current = (): ReservationStore => {
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

    describe('reserve', () => reserveCases(current));
    describe('ledger and lifecycle', () => lifecycleCases(current));
  });
}
