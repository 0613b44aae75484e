import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCursor, moneyFromMinorUnits } from '@crossdock/model';
import { generateWorld, WORLD_CURRENCY } from '@crossdock/simulators';
import type { FormattedExecutionResult } from 'graphql';
import { errorCodes, startErpHarness, type ErpHarness } from './harness';

const world = generateWorld();
const usd = (cents: number) => moneyFromMinorUnits(cents, WORLD_CURRENCY);

interface ProductsPage {
  products: {
    edges: { cursor: string; node: { sku: string; name: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const PRODUCTS = /* GraphQL */ `
  query Products($first: Int, $after: String) {
    products(first: $first, after: $after) {
      edges { cursor node { sku name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

let erp: ErpHarness;
beforeAll(async () => {
  erp = await startErpHarness();
});
afterAll(async () => {
  await erp.close();
});

describe('customer(id)', () => {
  it('answers the ERP account with its credit in decimal money', async () => {
    const seeded = world.customers.find((c) => c.onHold) ?? world.customers[0]!;
    const { data, errors } = await erp.run(
      /* GraphQL */ `query ($id: ID!) { customer(id: $id) { id name onHold creditLimit { amount currency } creditAvailable { amount currency } } }`,
      { id: seeded.id },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      customer: {
        id: seeded.id,
        name: seeded.name,
        onHold: true,
        creditLimit: usd(seeded.creditLimitCents),
        creditAvailable: usd(seeded.creditLimitCents - seeded.creditUsedCents),
      },
    });
  });

  it('is null for an id the ERP does not know', async () => {
    const { data, errors } = await erp.run(/* GraphQL */ `{ customer(id: "CUST-9999") { id } }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ customer: null });
  });
});

describe('product(sku)', () => {
  it('answers the item with its list price, and says when the ERP blocks it', async () => {
    const blocked = world.products.find((p) => !p.sellable)!;
    const { data, errors } = await erp.run(
      /* GraphQL */ `query ($sku: ID!) { product(sku: $sku) { sku name uom sellable listPrice { amount currency } } }`,
      { sku: blocked.sku },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      product: { sku: blocked.sku, name: blocked.name, uom: blocked.uom, sellable: false, listPrice: usd(blocked.listPriceCents) },
    });
  });

  it('is null for a SKU the ERP does not know', async () => {
    const { data } = await erp.run(/* GraphQL */ `{ product(sku: "SKU-NOPE") { sku } }`);
    expect(data).toEqual({ product: null });
  });
});

describe('products', () => {
  const catalog = world.products.map((p) => p.sku).sort();

  async function walk(first: number): Promise<{ skus: string[]; pages: number }> {
    const skus: string[] = [];
    let after: string | null = null;
    for (let pages = 1; pages <= 1000; pages += 1) {
      const result: FormattedExecutionResult<ProductsPage> = await erp.run<ProductsPage>(PRODUCTS, { first, after });
      expect(result.errors).toBeUndefined();
      const page: ProductsPage['products'] = result.data!.products;
      expect(page.edges.length).toBeLessThanOrEqual(first);
      skus.push(...page.edges.map((e) => e.node.sku));
      if (!page.pageInfo.hasNextPage) return { skus, pages };
      expect(page.edges).toHaveLength(first);
      after = page.pageInfo.endCursor;
    }
    throw new Error('the product list never ended');
  }

  it.each([20, 33, 100])('walks the whole catalog %i at a time, once each, and stops', async (first) => {
    const { skus, pages } = await walk(first);
    expect(skus).toEqual(catalog);
    expect(new Set(skus).size).toBe(catalog.length);
    expect(pages).toBe(Math.ceil(catalog.length / first));
  });

  it('serves 20 by default with names from the ERP', async () => {
    const { data } = await erp.run<ProductsPage>(/* GraphQL */ `{ products { edges { node { sku name } } pageInfo { hasNextPage } } }`);
    const first = world.products.find((p) => p.sku === catalog[0])!;
    expect(data!.products.edges).toHaveLength(20);
    expect(data!.products.edges[0]!.node).toEqual({ sku: first.sku, name: first.name });
    expect(data!.products.pageInfo.hasNextPage).toBe(true);
  });

  it('resumes after any edge, not only after the last one', async () => {
    const { data } = await erp.run<ProductsPage>(PRODUCTS, { first: 10 });
    const middle = data!.products.edges[3]!;
    const resumed = await erp.run<ProductsPage>(PRODUCTS, { first: 3, after: middle.cursor });
    expect(resumed.data!.products.edges.map((e) => e.node.sku)).toEqual(catalog.slice(4, 7));
  });

  it.each([0, 101, -1])('refuses first: %i as the client mistake it is', async (first) => {
    const { data, errors } = await erp.run(PRODUCTS, { first });
    expect(data).toBeNull();
    expect(errorCodes(errors)).toEqual([{ path: ['products'], code: 'BAD_USER_INPUT' }]);
    expect(errors?.[0]?.message).toMatch(/between 1 and 100/);
  });

  it.each([
    ['a garbled cursor', 'not-a-cursor'],
    ['a cursor of another list', encodeCursor('orders', '0:2')],
    ['a products cursor without a position', encodeCursor('products', 'page-2')],
    ['a products cursor the ERP cannot read', encodeCursor('products', '0:page-2')],
  ])('refuses %s', async (_name, after) => {
    const { errors } = await erp.run(PRODUCTS, { first: 5, after });
    expect(errorCodes(errors)).toEqual([{ path: ['products'], code: 'BAD_USER_INPUT' }]);
  });
});
