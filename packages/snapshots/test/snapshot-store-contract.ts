import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { SnapshotMaxAge, SnapshotStore } from '../src';

/** Opens a fresh, empty store for one test. */
export type OpenSnapshotStore = () => Promise<SnapshotStore>;

const T0 = new Date('2026-11-26T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;

/** The behaviour every SnapshotStore adapter must share; run against each of them. */
export function describeSnapshotStoreContract(name: string, open: OpenSnapshotStore): void {
  describe(`${name} (SnapshotStore contract)`, () => {
    let store: SnapshotStore;

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('gives back what was put, aligned with the keys asked for, null where nothing is stored', async () => {
      const customer = { id: 'CUST-0001', name: 'Acme Ltd', creditLimit: { amount: '25000.00', currency: 'USD' }, onHold: false };
      await store.put([
        { kind: 'erp.customer', key: 'CUST-0001', value: customer, at: T0 },
        { kind: 'erp.customer', key: 'CUST-0002', value: null, at: at(1) },
      ]);
      expect(await store.get('erp.customer', ['CUST-0002', 'CUST-9999', 'CUST-0001', 'CUST-0001'])).toEqual([
        { value: null, asOf: at(1) },
        null,
        { value: customer, asOf: T0 },
        { value: customer, asOf: T0 },
      ]);
      expect(await store.get('erp.customer', [])).toEqual([]);
      await store.put([]);
    });

    it('keeps any JSON answer exactly: nested lists, decimal strings, odd field names and keys', async () => {
      const page = {
        items: [{ sku: 'SKU-1', 'name.with.dots': 'Bolt ∅8', $price: '0.1000', qty: 0, tags: [], nested: { deeper: [1.5, null, true] } }],
        nextCursor: null,
      };
      const key = '{"after":null,"first":20,"filter":{"status":["SHIPPED"]}}';
      await store.put([{ kind: 'commerce.order-page', key, value: page, at: T0 }]);
      expect(await store.get('commerce.order-page', [key])).toEqual([{ value: page, asOf: T0 }]);
    });

    it('keeps kinds apart: the same key under two kinds is two snapshots', async () => {
      await store.put([
        { kind: 'erp.sales-order', key: 'ORD-1', value: { erpOrderNumber: 'SO-1' }, at: T0 },
        { kind: 'erp.invoices', key: 'ORD-1', value: [{ number: 'INV-1' }], at: T0 },
      ]);
      expect(await store.get('erp.sales-order', ['ORD-1'])).toEqual([{ value: { erpOrderNumber: 'SO-1' }, asOf: T0 }]);
      expect(await store.get('erp.invoices', ['ORD-1'])).toEqual([{ value: [{ number: 'INV-1' }], asOf: T0 }]);
      expect(await store.get('shipping.shipment', ['ORD-1'])).toEqual([null]);
    });

    it('lets a newer snapshot replace an older one, never the reverse', async () => {
      await store.put([{ kind: 'wms.positions', key: 'SKU-1', value: [{ onHand: 5 }], at: at(10) }]);
      await store.put([{ kind: 'wms.positions', key: 'SKU-1', value: [{ onHand: 7 }], at: at(20) }]);
      // A replica that was slow to write sends an answer older than the one stored.
      await store.put([
        { kind: 'wms.positions', key: 'SKU-1', value: [{ onHand: 1 }], at: at(15) },
        { kind: 'wms.positions', key: 'SKU-2', value: [{ onHand: 3 }], at: at(15) },
      ]);
      expect(await store.get('wms.positions', ['SKU-1', 'SKU-2'])).toEqual([
        { value: [{ onHand: 7 }], asOf: at(20) },
        { value: [{ onHand: 3 }], asOf: at(15) },
      ]);
    });

    it('takes the last entry for a key within one batch', async () => {
      await store.put([
        { kind: 'erp.product', key: 'SKU-1', value: { name: 'first' }, at: T0 },
        { kind: 'erp.product', key: 'SKU-1', value: { name: 'second' }, at: T0 },
      ]);
      expect(await store.get('erp.product', ['SKU-1'])).toEqual([{ value: { name: 'second' }, asOf: T0 }]);
    });

    it('hands out copies: changing an answer read back changes nothing stored', async () => {
      const value = { lines: [{ quantity: 2 }] };
      await store.put([{ kind: 'commerce.order', key: 'ORD-1', value, at: T0 }]);
      value.lines[0]!.quantity = 99;
      const [first] = await store.get('commerce.order', ['ORD-1']);
      expect(first?.value).toEqual({ lines: [{ quantity: 2 }] });
      const [again] = await store.get('commerce.order', ['ORD-1']);
      expect(again?.value).not.toBe(first?.value);
    });

    it('sweeps what is older than its kind\'s maximum age and keeps the rest', async () => {
      const maxAge: SnapshotMaxAge = { defaultMs: 24 * HOUR, byKind: { 'wms.positions': HOUR } };
      await store.put([
        { kind: 'wms.positions', key: 'fresh', value: 1, at: at(-HOUR + 1) },
        { kind: 'wms.positions', key: 'exactly-max-age', value: 1, at: at(-HOUR) },
        { kind: 'wms.positions', key: 'stale', value: 1, at: at(-HOUR - 1) },
        { kind: 'erp.customer', key: 'young-for-its-kind', value: 1, at: at(-2 * HOUR) },
        { kind: 'erp.customer', key: 'stale', value: 1, at: at(-25 * HOUR) },
      ]);
      expect(await store.sweep(T0, maxAge)).toBe(2);
      const kept = (await store.get('wms.positions', ['fresh', 'exactly-max-age', 'stale'])).map((s) => s !== null);
      expect(kept).toEqual([true, true, false]);
      expect((await store.get('erp.customer', ['young-for-its-kind', 'stale'])).map((s) => s !== null)).toEqual([true, false]);
      expect(await store.sweep(T0, maxAge)).toBe(0);
    });
  });
}
