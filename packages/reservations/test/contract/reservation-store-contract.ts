import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ReservationExpired, ReservationStore, StockLedgerListing } from '../../src';
import { lifecycleCases } from './lifecycle-cases';
import { reserveCases } from './reserve-cases';
import { level, lines, request, seed, T0, type StoreFixture } from './stock-fixtures';

/** A fresh store and what its expiry events stream holds so far (read as the event bus reads it). */
export type ReservationStoreFixture = StoreFixture<ReservationStore & StockLedgerListing> & { expiries(): Promise<ReservationExpired[]> };

/**
 * The one contract every ReservationStore adapter passes (DESIGN.md: the in-process substitute
 * must never drift from Redis). `factory` gives each test a fresh, empty store.
 */
export function describeReservationStoreContract(name: string, factory: () => Promise<ReservationStoreFixture>): void {
  describe(`ReservationStore contract: ${name}`, () => {
    let fixture: ReservationStoreFixture | undefined;
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
    it('tells the expiry of each reservation it releases, with its SKUs, and nothing for a release or a confirm', async () => {
      const store = current();
      await seed(store, [level('A', 'W1', 10), level('B', 'W1', 10), level('C', 'W1', 10)]);
      await store.reserve(request('o1', lines(['B', 1], ['A', 2]), { holdMs: 1000 }), T0);
      await store.reserve(request('o2', lines(['C', 1]), { holdMs: 1000 }), T0);
      await store.reserve(request('cancelled', lines(['A', 1]), { holdMs: 1000 }), T0);
      await store.reserve(request('confirmed', lines(['C', 1]), { holdMs: 1000 }), T0);
      await store.release('cancelled');
      await store.confirm('confirmed');
      expect(await fixture?.expiries()).toEqual([]);
      expect(await store.expire(T0 + 5000)).toEqual(['o1', 'o2']);
      expect(await store.expire(T0 + 6000)).toEqual([]);
      expect(await fixture?.expiries()).toEqual([
        { orderId: 'o1', skus: ['A', 'B'], at: T0 + 5000 },
        { orderId: 'o2', skus: ['C'], at: T0 + 5000 },
      ]);
    });
    it('lists the SKUs its ledger holds, sorted, for the inventory reconciliation', async () => {
      const store = current();
      expect(await store.ledgerSkus()).toEqual([]);
      await seed(store, [level('B', 'W1', 3), level('A', 'W1', 7), level('A', 'W2', 1)]);
      expect(await store.ledgerSkus()).toEqual(['A', 'B']);
      expect(await store.ledgerSkus(1)).toHaveLength(1);
    });
  });
}
