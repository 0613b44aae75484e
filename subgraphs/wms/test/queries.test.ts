import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, startWmsHarness, type WmsHarness } from './harness';
import { availableIn, positionsOf, totalAvailable, updatedAtOf, warehouseName, world } from './world-stock';

const ATP = /* GraphQL */ `
  query ($sku: ID!, $quantity: Int!) {
    availableToPromise(sku: $sku, quantity: $quantity) { sku requested available promisable sources { warehouse { id } quantity } }
  }
`;

let wms: WmsHarness;
beforeAll(async () => {
  wms = await startWmsHarness();
});
afterAll(async () => {
  await wms.close();
});

describe('warehouses', () => {
  it('lists every warehouse, highest priority first', async () => {
    const { data, errors } = await wms.run(/* GraphQL */ `{ warehouses { id name region } }`);
    expect(errors).toBeUndefined();
    const expected = [...world.warehouses].sort((a, b) => a.priority - b.priority).map(({ id, name, region }) => ({ id, name, region }));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(data).toEqual({ warehouses: expected });
  });
});

describe('inventory(sku)', () => {
  it('answers every position of the SKU with available = on hand - reserved - safety stock', async () => {
    const sku = world.positions.find((p) => p.reserved > 0)!.sku;
    const { data, errors } = await wms.run(
      /* GraphQL */ `query ($sku: ID!) {
        inventory(sku: $sku) { sku product { sku } warehouse { id name } onHand reserved safetyStock available updatedAt }
      }`,
      { sku },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      inventory: positionsOf(sku).map((p) => ({
        sku,
        product: { sku },
        warehouse: { id: p.warehouseId, name: warehouseName(p.warehouseId) },
        onHand: p.onHand,
        reserved: p.reserved,
        safetyStock: p.safetyStock,
        available: availableIn(p),
        updatedAt: updatedAtOf(p),
      })),
    });
  });

  it('never reports negative availability for stock at or below safety stock', async () => {
    const scarce = world.positions.find((p) => p.onHand - p.reserved - p.safetyStock < 0)!;
    const { data } = await wms.run<{ inventory: { warehouse: { id: string }; available: number }[] }>(
      /* GraphQL */ `query ($sku: ID!) { inventory(sku: $sku) { warehouse { id } available } }`,
      { sku: scarce.sku },
    );
    expect(data!.inventory.find((p) => p.warehouse.id === scarce.warehouseId)).toEqual({ warehouse: { id: scarce.warehouseId }, available: 0 });
  });

  it('is empty for a SKU no warehouse stocks', async () => {
    const { data, errors } = await wms.run(/* GraphQL */ `{ inventory(sku: "SKU-NOPE") { sku } }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ inventory: [] });
  });
});

describe('availableToPromise(sku, quantity)', () => {
  it('ships from the first warehouse by priority when it can fill everything', async () => {
    const first = world.positions.find((p) => p.warehouseId === positionsOf(p.sku)[0]!.warehouseId && availableIn(p) >= 10)!;
    const { data } = await wms.run(ATP, { sku: first.sku, quantity: 10 });
    expect(data).toEqual({
      availableToPromise: {
        sku: first.sku,
        requested: 10,
        available: totalAvailable(first.sku),
        promisable: true,
        sources: [{ warehouse: { id: first.warehouseId }, quantity: 10 }],
      },
    });
  });

  it('prefers one later warehouse that can fill everything over a split', async () => {
    // A SKU whose top warehouse has some stock, and a later one has more than that.
    const sku = world.products
      .map((p) => p.sku)
      .find((s) => {
        const [top, ...rest] = positionsOf(s);
        return top !== undefined && availableIn(top) > 0 && rest.some((p) => availableIn(p) > availableIn(top));
      })!;
    const [top, ...rest] = positionsOf(sku);
    const quantity = availableIn(top!) + 1;
    const filler = rest.find((p) => availableIn(p) >= quantity)!;
    const { data } = await wms.run(ATP, { sku, quantity });
    expect(data).toMatchObject({ availableToPromise: { promisable: true, sources: [{ warehouse: { id: filler.warehouseId }, quantity }] } });
  });

  it('splits by warehouse priority when no single warehouse can fill it', async () => {
    const sku = world.products
      .map((p) => p.sku)
      .find((s) => positionsOf(s).filter((p) => availableIn(p) > 0).length >= 2)!;
    const stocked = positionsOf(sku).filter((p) => availableIn(p) > 0);
    const quantity = Math.max(...stocked.map(availableIn)) + 1;
    let remaining = quantity;
    const expected = stocked.flatMap((p) => {
      const take = Math.min(availableIn(p), remaining);
      remaining -= take;
      return take > 0 ? [{ warehouse: { id: p.warehouseId }, quantity: take }] : [];
    });
    const { data } = await wms.run(ATP, { sku, quantity });
    expect(data).toEqual({
      availableToPromise: { sku, requested: quantity, available: totalAvailable(sku), promisable: true, sources: expected },
    });
    expect(expected.length).toBeGreaterThanOrEqual(2);
  });

  it('is not promisable beyond what all warehouses have, and shows what could ship', async () => {
    const sku = world.positions[0]!.sku;
    const available = totalAvailable(sku);
    const { data } = await wms.run<{ availableToPromise: { promisable: boolean; available: number; sources: { quantity: number }[] } }>(ATP, {
      sku,
      quantity: available + 1,
    });
    expect(data!.availableToPromise.promisable).toBe(false);
    expect(data!.availableToPromise.available).toBe(available);
    expect(data!.availableToPromise.sources.reduce((sum, s) => sum + s.quantity, 0)).toBe(available);
  });

  it('promises nothing for a SKU no warehouse stocks', async () => {
    const { data } = await wms.run(ATP, { sku: 'SKU-NOPE', quantity: 1 });
    expect(data).toEqual({ availableToPromise: { sku: 'SKU-NOPE', requested: 1, available: 0, promisable: false, sources: [] } });
  });

  it.each([0, -5])('refuses quantity %i as bad input', async (quantity) => {
    const { data, errors } = await wms.run(ATP, { sku: world.positions[0]!.sku, quantity });
    expect(data).toBeNull();
    expect(errorCodes(errors)).toEqual([{ path: ['availableToPromise'], code: 'BAD_USER_INPUT' }]);
    expect(errors?.[0]?.message).toMatch(/quantity/);
  });
});
