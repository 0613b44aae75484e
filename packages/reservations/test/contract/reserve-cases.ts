import { expect, it } from '@jest/globals';
import { InvalidReservationInputError, StockNotLoadedError, type ReservationStore } from '../../src';
import { T0, availableOf, level, lines, pendingOf, request, seed } from './stock-fixtures';

/** How reserve allocates, refuses and repeats; part of describeReservationStoreContract. */
export function reserveCases(current: () => ReservationStore): void {
  it('with syncedAfter, names every SKU missing or synced before it, with its version, and reserves nothing', async () => {
    const store = current();
    await seed(store, [level('OLD', 'W1', 10)], T0);
    await seed(store, [level('NEW', 'W1', 10)], T0 + 5_000);
    const version = (await store.readStock(['OLD'])).get('OLD')?.version;
    const stale = await store.reserve(request('o1', lines(['NEW', 1], ['OLD', 1], ['NONE', 1]), { syncedAfter: T0 + 1 }), T0 + 6_000);
    expect(stale).toEqual({ status: 'stale', skus: [{ sku: 'OLD', version }, { sku: 'NONE', version: null }] });
    expect(await store.get('o1')).toBeNull();
    expect(await store.pendingBySku(['NEW', 'OLD'])).toEqual(new Map());
    // Synced exactly at syncedAfter counts as fresh; without syncedAfter age is not looked at.
    expect(await store.reserve(request('o2', lines(['NEW', 1], ['OLD', 1]), { syncedAfter: T0 }), T0 + 6_000)).toMatchObject({ status: 'reserved' });
    expect(await store.reserve(request('o3', lines(['OLD', 1])), T0 + 6_000)).toMatchObject({ status: 'reserved' });
    // A repeat of a reserved order answers `exists`, stale ledger or not.
    expect(await store.reserve(request('o2', lines(['NEW', 1]), { syncedAfter: T0 + 60_000 }), T0 + 60_000)).toMatchObject({ status: 'exists' });
  });

  it('refuses a syncedAfter that is not an integer', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10)]);
    await expect(store.reserve(request('o1', lines(['A', 1]), { syncedAfter: 1.5 }), T0)).rejects.toBeInstanceOf(InvalidReservationInputError);
  });

  it('counts onHand - reserved - pending - safety stock, never below 0 per warehouse', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10, 3, 2), level('A', 'W2', 2, 5, 0)]);
    expect(await availableOf(store, 'A')).toEqual({ W1: 5, W2: 0 });
    // W2's deficit must not eat into W1's free stock.
    expect((await store.reserve(request('o1', lines(['A', 5]), { rule: 'priority-split' }), T0)).status).toBe('reserved');
    const refused = await store.reserve(request('o2', lines(['A', 1])), T0);
    expect(refused).toEqual({ status: 'insufficient', shortages: [{ lineNumber: 1, sku: 'A', requested: 1, available: 0 }] });
  });

  it('single-warehouse-first ships the whole order from the best warehouse that can', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 5), level('B', 'W1', 0), level('A', 'W2', 5), level('B', 'W2', 5), level('A', 'W3', 9), level('B', 'W3', 9)]);
    const result = await store.reserve(request('o1', lines(['A', 3], ['B', 2])), T0);
    expect(result).toEqual({ status: 'reserved', split: false, allocations: [{ warehouseId: 'W2', sku: 'A', quantity: 3 }, { warehouseId: 'W2', sku: 'B', quantity: 2 }] });
    // Priority is the order the caller gives, not the warehouse ids.
    const reversed = await store.reserve(request('o2', lines(['A', 1], ['B', 1]), { warehouses: ['W3', 'W2'] }), T0);
    expect(reversed).toMatchObject({ status: 'reserved', split: false, allocations: [{ warehouseId: 'W3', sku: 'A', quantity: 1 }, { warehouseId: 'W3', sku: 'B', quantity: 1 }] });
  });

  it('single-warehouse-first falls back to splitting line by line in priority order', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 5), level('B', 'W2', 5), level('B', 'W3', 5)]);
    const result = await store.reserve(request('o1', lines(['A', 4], ['B', 2])), T0);
    expect(result).toEqual({ status: 'reserved', split: true, allocations: [{ warehouseId: 'W1', sku: 'A', quantity: 4 }, { warehouseId: 'W2', sku: 'B', quantity: 2 }] });
  });

  it('priority-split takes from the best warehouse first even when another could ship it whole', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 2), level('A', 'W2', 10)]);
    const split = await store.reserve(request('o1', lines(['A', 5]), { rule: 'priority-split' }), T0);
    expect(split).toEqual({ status: 'reserved', split: true, allocations: [{ warehouseId: 'W1', sku: 'A', quantity: 2 }, { warehouseId: 'W2', sku: 'A', quantity: 3 }] });
    const single = await store.reserve(request('o2', lines(['A', 5])), T0);
    expect(single).toEqual({ status: 'reserved', split: false, allocations: [{ warehouseId: 'W2', sku: 'A', quantity: 5 }] });
  });

  it('a single warehouse used by a priority-split order is not a split', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10)]);
    expect(await store.reserve(request('o1', lines(['A', 5]), { rule: 'priority-split' }), T0)).toMatchObject({ status: 'reserved', split: false });
  });

  it('adds up lines of the same SKU and merges their allocations per warehouse', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 5), level('A', 'W2', 5)]);
    const result = await store.reserve(request('o1', lines(['A', 3], ['A', 3])), T0);
    expect(result).toEqual({ status: 'reserved', split: true, allocations: [{ warehouseId: 'W1', sku: 'A', quantity: 5 }, { warehouseId: 'W2', sku: 'A', quantity: 1 }] });
    expect(await pendingOf(store, 'A')).toEqual({ W1: 5, W2: 1 });
  });

  it('reserves all lines or none, and a refused order leaves no trace', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10), level('B', 'W1', 1), level('B', 'W2', 1)]);
    const before = await store.readStock(['A', 'B']);
    const refused = await store.reserve(request('o1', lines(['A', 4], ['B', 3])), T0);
    expect(refused).toEqual({ status: 'insufficient', shortages: [{ lineNumber: 2, sku: 'B', requested: 3, available: 2 }] });
    expect(await store.pendingBySku(['A', 'B'])).toEqual(new Map());
    expect(await store.readStock(['A', 'B'])).toEqual(before);
    expect(await store.get('o1')).toBeNull();
    // The refused id is free: the same order may come back once stock is there.
    expect((await store.reserve(request('o1', lines(['A', 10])), T0)).status).toBe('reserved');
  });

  it('lists every short line with what was available to it, counting only candidate warehouses', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 2), level('A', 'W9', 100), level('B', 'W2', 1), level('C', 'W1', 50)]);
    const refused = await store.reserve(request('o1', lines(['A', 3], ['C', 1], ['B', 4], ['A', 2])), T0);
    expect(refused).toEqual({
      status: 'insufficient',
      shortages: [
        { lineNumber: 1, sku: 'A', requested: 3, available: 2 },
        { lineNumber: 3, sku: 'B', requested: 4, available: 1 },
      ],
    });
  });

  it('answers exists for an order id that already holds stock, whatever the new lines say', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10), level('B', 'W1', 10)]);
    const first = await store.reserve(request('o1', lines(['A', 2])), T0);
    const again = await store.reserve(request('o1', lines(['B', 7])), T0 + 1);
    expect(again).toEqual({ status: 'exists', allocations: first.status === 'reserved' ? first.allocations : [] });
    expect(await pendingOf(store, 'A')).toEqual({ W1: 2 });
    expect(await pendingOf(store, 'B')).toEqual({});
  });

  it('throws StockNotLoadedError naming the SKUs the ledger lacks, and reserves nothing', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10)]);
    const attempt = store.reserve(request('o1', lines(['A', 1], ['X', 1], ['Y', 2])), T0);
    await expect(attempt).rejects.toBeInstanceOf(StockNotLoadedError);
    await expect(store.reserve(request('o1', lines(['A', 1], ['X', 1], ['Y', 2])), T0)).rejects.toMatchObject({ skus: ['X', 'Y'] });
    expect(await store.pendingBySku(['A'])).toEqual(new Map());
  });

  it('treats a SKU loaded with no levels as known with nothing to sell', async () => {
    const store = current();
    await store.writeStock([{ sku: 'Z', levels: [], expectedVersion: null }], T0);
    expect(await store.reserve(request('o1', lines(['Z', 1])), T0)).toEqual({ status: 'insufficient', shortages: [{ lineNumber: 1, sku: 'Z', requested: 1, available: 0 }] });
  });

  it('refuses malformed requests with a clear error before touching anything', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10)]);
    const bad = [
      request('o1', lines(['A', 0])),
      request('o1', lines(['A', 1.5])),
      request('o1', lines(['A', -1])),
      request('o1', []),
      request('o1', lines(['A', 1]), { warehouses: [] }),
      request('o1', lines(['A', 1]), { warehouses: ['W1', 'W1'] }),
      request('', lines(['A', 1])),
      request('o1', [{ lineNumber: 1, sku: 'A', quantity: 1 }, { lineNumber: 1, sku: 'A', quantity: 1 }]),
      request('o1', lines(['A', 1]), { holdMs: 0 }),
    ];
    for (const r of bad) await expect(store.reserve(r, T0)).rejects.toBeInstanceOf(InvalidReservationInputError);
    await expect(store.reserve(request('o1', lines(['A', 0])), T0)).rejects.toThrow('quantity of line 1 must be a positive integer, got 0');
    expect(await store.pendingBySku(['A'])).toEqual(new Map());
  });

  it('bumps the version of every SKU a reservation touches, and of no other', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10), level('B', 'W1', 10), level('C', 'W1', 10)]);
    const before = await store.readStock(['A', 'B', 'C']);
    await store.reserve(request('o1', lines(['A', 1], ['B', 1])), T0);
    const after = await store.readStock(['A', 'B', 'C']);
    expect(after.get('A')?.version).toBeGreaterThan(before.get('A')?.version ?? Infinity);
    expect(after.get('B')?.version).toBeGreaterThan(before.get('B')?.version ?? Infinity);
    expect(after.get('C')?.version).toBe(before.get('C')?.version);
  });
}
