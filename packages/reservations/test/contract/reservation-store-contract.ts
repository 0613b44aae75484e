import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ReservationStore, StockLedgerListing } from '../../src';
import { lifecycleCases } from './lifecycle-cases';
import { reserveCases } from './reserve-cases';
import { level, seed, type StoreFixture } from './stock-fixtures';

/**
 * The one contract every ReservationStore adapter passes (DESIGN.md: the in-process substitute
 * must never drift from Redis). `factory` gives each test a fresh, empty store.
 */
export function describeReservationStoreContract(name: string, factory: () => Promise<StoreFixture<ReservationStore & StockLedgerListing>>): void {
  describe(`ReservationStore contract: ${name}`, () => {
    let fixture: StoreFixture<ReservationStore & StockLedgerListing> | undefined;
    const current = (): ReservationStore & StockLedgerListing => {
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
    it('lists the SKUs its ledger holds, sorted, for the inventory reconciliation', async () => {
      const store = current();
      expect(await store.ledgerSkus()).toEqual([]);
      await seed(store, [level('B', 'W1', 3), level('A', 'W1', 7), level('A', 'W2', 1)]);
      expect(await store.ledgerSkus()).toEqual(['A', 'B']);
      expect(await store.ledgerSkus(1)).toHaveLength(1);
    });
  });
}
