import { expect, it } from '@jest/globals';
import type { ReservationStore } from '../../src';
import { T0, availableOf, level, lines, pendingOf, request, seed } from './stock-fixtures';

/** The ledger, confirm, release and expiry; part of describeReservationStoreContract. */
export function lifecycleCases(current: () => ReservationStore): void {
  it('reads back what was written, levels sorted by warehouse, absent SKUs left out', async () => {
    const store = current();
    await seed(store, [level('A', 'W2', 4, 1, 1), level('A', 'W1', 7)], T0 + 5);
    const stock = await store.readStock(['A', 'nope', 'A']);
    expect([...stock.keys()]).toEqual(['A']);
    expect(stock.get('A')).toEqual({ levels: [level('A', 'W1', 7), level('A', 'W2', 4, 1, 1)], version: expect.any(Number), syncedAt: T0 + 5 });
  });

  it('writes a SKU only while its version is the one read before asking the WMS', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10), level('B', 'W1', 10)]);
    const read = await store.readStock(['A', 'B']);
    const versionA = read.get('A')?.version ?? -1;
    // A reservation lands while the WMS is being asked: A's version moves, B's does not.
    await store.reserve(request('o1', lines(['A', 4])), T0);
    const written = await store.writeStock(
      [
        { sku: 'A', levels: [level('A', 'W1', 99)], expectedVersion: versionA },
        { sku: 'B', levels: [level('B', 'W1', 20)], expectedVersion: read.get('B')?.version ?? -1 },
        { sku: 'C', levels: [level('C', 'W1', 1)], expectedVersion: null },
      ],
      T0 + 100,
    );
    expect(written).toEqual(['B', 'C']);
    expect(await availableOf(store, 'A')).toEqual({ W1: 6 });
    expect(await availableOf(store, 'B')).toEqual({ W1: 20 });
    // "Absent" is a version too: a SKU someone else loaded meanwhile is not overwritten.
    expect(await store.writeStock([{ sku: 'C', levels: [], expectedVersion: null }], T0 + 200)).toEqual([]);
    expect((await store.readStock(['C'])).get('C')?.syncedAt).toBe(T0 + 100);
  });

  it('keeps the hub\'s pending across a refresh, even for a warehouse the WMS stopped reporting', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10), level('A', 'W2', 10)]);
    await store.reserve(request('o1', lines(['A', 13]), { rule: 'priority-split' }), T0);
    const version = (await store.readStock(['A'])).get('A')?.version ?? -1;
    expect(await store.writeStock([{ sku: 'A', levels: [level('A', 'W1', 12)], expectedVersion: version }], T0 + 1)).toEqual(['A']);
    expect((await store.readStock(['A'])).get('A')?.levels).toEqual([level('A', 'W1', 12)]);
    expect(await pendingOf(store, 'A')).toEqual({ W1: 10, W2: 3 });
    expect(await availableOf(store, 'A')).toEqual({ W1: 2 });
    // Releasing still gives W2's pending back.
    await store.release('o1');
    expect(await pendingOf(store, 'A')).toEqual({});
  });

  it('reports pending quantities by SKU and warehouse, leaving out zeros and unknown SKUs', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 3), level('A', 'W2', 10), level('B', 'W1', 10)]);
    await store.reserve(request('o1', lines(['A', 5]), { rule: 'priority-split' }), T0);
    await store.reserve(request('o2', lines(['A', 1]), { warehouses: ['W2'] }), T0);
    const pending = await store.pendingBySku(['A', 'B', 'nope']);
    expect(pending).toEqual(new Map([['A', new Map([['W1', 3], ['W2', 3]])]]));
  });

  it('confirm moves pending into reserved once, and takes the reservation off the expiry clock', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10, 1)]);
    await store.reserve(request('o1', lines(['A', 4]), { holdMs: 1000 }), T0);
    const version = (await store.readStock(['A'])).get('A')?.version ?? -1;
    expect(await store.confirm('o1')).toBe(true);
    expect(await store.confirm('o1')).toBe(true);
    const stock = (await store.readStock(['A'])).get('A');
    expect(stock?.levels).toEqual([level('A', 'W1', 10, 5)]);
    expect(stock?.version).toBeGreaterThan(version);
    expect(await pendingOf(store, 'A')).toEqual({});
    expect(await availableOf(store, 'A')).toEqual({ W1: 5 });
    expect(await store.get('o1')).toMatchObject({ orderId: 'o1', state: 'confirmed' });
    expect(await store.expire(T0 + 10_000)).toEqual([]);
    expect(await store.confirm('unknown')).toBe(false);
  });

  it('release gives pending stock back and forgets the reservation', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10)]);
    await store.reserve(request('o1', lines(['A', 4]), { holdMs: 1000 }), T0);
    const released = await store.release('o1');
    expect(released).toEqual({ orderId: 'o1', state: 'pending', expiresAt: T0 + 1000, allocations: [{ warehouseId: 'W1', sku: 'A', quantity: 4 }] });
    expect(await availableOf(store, 'A')).toEqual({ W1: 10 });
    expect(await store.get('o1')).toBeNull();
    expect(await store.release('o1')).toBeNull();
    expect(await store.expire(T0 + 10_000)).toEqual([]);
  });

  it('release of a confirmed order gives back reserved and marks the SKU for a WMS refresh', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 10, 2)], T0);
    await store.reserve(request('o1', lines(['A', 4])), T0);
    await store.confirm('o1');
    expect(await store.release('o1')).toMatchObject({ state: 'confirmed' });
    const stock = (await store.readStock(['A'])).get('A');
    expect(stock?.levels).toEqual([level('A', 'W1', 10, 2)]);
    expect(stock?.syncedAt).toBe(0);
  });

  it('expire releases pending reservations past their hold, oldest first, in bounded batches', async () => {
    const store = current();
    await seed(store, [level('A', 'W1', 100)]);
    await store.reserve(request('late', lines(['A', 1]), { holdMs: 5000 }), T0);
    await store.reserve(request('b', lines(['A', 2]), { holdMs: 1000 }), T0);
    await store.reserve(request('a', lines(['A', 3]), { holdMs: 1000 }), T0);
    await store.reserve(request('first', lines(['A', 4]), { holdMs: 500 }), T0);
    expect(await store.expire(T0 + 1000)).toEqual(['first']);
    expect(await store.expire(T0 + 1001, 1)).toEqual(['a']);
    expect(await store.expire(T0 + 1001, 10)).toEqual(['b']);
    expect(await pendingOf(store, 'A')).toEqual({ W1: 1 });
    expect(await store.get('a')).toBeNull();
    expect(await store.get('late')).toMatchObject({ state: 'pending', expiresAt: T0 + 5000 });
    // An expired but unswept reservation still holds its order id and its stock.
    expect(await store.reserve(request('late', lines(['A', 9])), T0 + 9999)).toMatchObject({ status: 'exists' });
  });
}
