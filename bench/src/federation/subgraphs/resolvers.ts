import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import {
  accounts,
  products,
  reviewAuthor,
  reviews,
  reviewsOfEveryUser,
  stock,
  type ReviewRecord,
  type StockRecord,
} from './fixtures';

/** The four subgraphs of the benchmark, named as in the reference supergraph. */
export const subgraphNames = ['accounts', 'inventory', 'products', 'reviews'] as const;

/** One of {@link subgraphNames}. */
export type SubgraphName = (typeof subgraphNames)[number];

const accountById = new Map(accounts.map((account) => [account.id, account]));
const productByUpc = new Map(products.map((product) => [product.upc, product]));
const stockByUpc = new Map(stock.map((entry) => [entry.upc, entry]));
const reviewById = new Map(reviews.map((review) => [review.id, review]));
const reviewsByUpc = groupReviewsByProduct(reviews);

/** Inventory's view of a product: its stock plus whatever `@requires` fields it was handed. */
type InventoryProduct = StockRecord & { price?: number | null; weight?: number | null };

/** Resolvers of each subgraph; lookups are map reads so the subgraphs cost next to nothing. */
export const resolversBySubgraph: Record<SubgraphName, GraphQLResolverMap<unknown>> = {
  accounts: {
    Query: {
      me: () => accounts[0],
      user: (_: unknown, args: { id: string }) => accountById.get(args.id) ?? null,
      users: () => accounts,
    },
    User: {
      __resolveReference: (reference: { id: string }) => accountById.get(reference.id) ?? null,
    },
  },
  products: {
    Query: {
      topProducts: (_: unknown, args: { first?: number | null }) => products.slice(0, Math.max(0, args.first ?? 5)),
    },
    Product: {
      __resolveReference: (reference: { upc: string }) => productByUpc.get(reference.upc) ?? null,
    },
  },
  inventory: {
    Product: {
      // Answers from its own record and drops the price and weight the gateway sent, exactly as
      // the reference subgraph does; so `shippingEstimate` is always null, as the reference
      // benchmark's expected answer says, while the gateway still has to plan the @requires.
      __resolveReference: (reference: { upc: string }) => stockByUpc.get(reference.upc) ?? null,
      shippingEstimate: (product: InventoryProduct) => shippingEstimate(product),
    },
  },
  reviews: {
    Review: {
      __resolveReference: (reference: { id: string }) => reviewById.get(reference.id) ?? null,
      product: (review: ReviewRecord) => ({ upc: review.productUpc }),
      author: () => reviewAuthor,
    },
    User: {
      __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
      reviews: () => reviewsOfEveryUser,
    },
    Product: {
      __resolveReference: (reference: { upc: string }) => ({ upc: reference.upc }),
      reviews: (product: { upc: string }) => reviewsByUpc.get(product.upc) ?? [],
    },
  },
};

/** Free shipping above 1000, else half the weight; unknown when price or weight is unknown. */
function shippingEstimate(product: InventoryProduct): number | null {
  if (product.price === undefined || product.price === null) return null;
  if (product.price > 1000) return 0;
  if (product.weight === undefined || product.weight === null) return null;
  return Math.trunc(product.weight / 2);
}

function groupReviewsByProduct(all: readonly ReviewRecord[]): Map<string, ReviewRecord[]> {
  const byUpc = new Map<string, ReviewRecord[]>();
  for (const review of all) {
    const group = byUpc.get(review.productUpc) ?? [];
    group.push(review);
    byUpc.set(review.productUpc, group);
  }
  return byUpc;
}
