/**
 * The records of graphql-hive/graphql-gateways-benchmark's "federation" scenario (its Rust
 * subgraphs under `subgraphs/*.rs`), re-typed so that every gateway here is measured on the same
 * answer bytes that gateway authors publish numbers for. Change nothing without changing it there.
 */

/** A user as the accounts subgraph stores it. */
export interface AccountRecord {
  id: string;
  name: string;
  username: string;
  birthday: number;
}

/** A product as the products subgraph stores it. */
export interface ProductRecord {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

/** Stock as the inventory subgraph stores it: it knows neither price nor weight. */
export interface StockRecord {
  upc: string;
  inStock: boolean;
}

/** A review as the reviews subgraph stores it. */
export interface ReviewRecord {
  id: string;
  body: string;
  productUpc: string;
}

const BIRTHDAY = 1234567890;

/** Users served by the accounts subgraph, in answer order. */
export const accounts: readonly AccountRecord[] = [
  { id: '1', name: 'Uri Goldshtein', username: 'urigo', birthday: BIRTHDAY },
  { id: '2', name: 'Dotan Simha', username: 'dotansimha', birthday: BIRTHDAY },
  { id: '3', name: 'Kamil Kisiela', username: 'kamilkisiela', birthday: BIRTHDAY },
  { id: '4', name: 'Arda Tanrikulu', username: 'ardatan', birthday: BIRTHDAY },
  { id: '5', name: 'Gil Gardosh', username: 'gilgardosh', birthday: BIRTHDAY },
  { id: '6', name: 'Laurin Quast', username: 'laurin', birthday: BIRTHDAY },
];

/** Products served by the products subgraph, in `topProducts` order. */
export const products: readonly ProductRecord[] = [
  { upc: '1', name: 'Table', price: 899, weight: 100 },
  { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: '3', name: 'Glass', price: 15, weight: 20 },
  { upc: '4', name: 'Chair', price: 499, weight: 100 },
  { upc: '5', name: 'TV', price: 1299, weight: 1000 },
  { upc: '6', name: 'Lamp', price: 6999, weight: 300 },
  { upc: '7', name: 'Grill', price: 3999, weight: 2000 },
  { upc: '8', name: 'Fridge', price: 100000, weight: 6000 },
  { upc: '9', name: 'Sofa', price: 9999, weight: 800 },
];

/** Stock served by the inventory subgraph. */
export const stock: readonly StockRecord[] = [
  { upc: '1', inStock: true },
  { upc: '2', inStock: false },
  { upc: '3', inStock: false },
  { upc: '4', inStock: false },
  { upc: '5', inStock: true },
  { upc: '6', inStock: true },
  { upc: '7', inStock: true },
  { upc: '8', inStock: false },
  { upc: '9', inStock: true },
];

const LOREM_IPSUM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';
const SED_UT_PERSPICIATIS =
  'Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta sunt explicabo. Nemo enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugi';
const SED_QUIA_CONSEQUUNTUR =
  'sed quia consequuntur magni dolores eos qui ratione voluptatem sequi nesciunt. Neque porro quisquam est, qui dolorem ipsum quia dolor sit amet, consectetur, adipisci velit, sed quia non numquam eius modi tempora incidunt ut labore et dolore magnam aliquam quaerat voluptatem.';
const UT_ENIM_AD_MINIMA =
  'Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut aliquid ex ea commodi consequatur? Quis autem';
const AT_VERO_EOS =
  'At vero eos et accusamus et iusto odio dignissimos ducimus qui blanditiis praesentium voluptatum deleniti atque corrupti quos dolores et quas molestias excepturi sint occaecati cupiditate non provident, similique sunt in culpa qui officia deserunt mollitia animi, id est laborum et dolorum fuga. Et harum quidem rerum facilis est et expedita distinctio. Nam libero tempore, cum soluta nobis est eligendi optio cumque nihil impedit quo minus id quod maxime placeat facere possimus, omnis voluptas assumenda est, omnis dolor repellendus. Temporibus autem quibusdam et aut officiis debitis aut rerum necessitatibus saepe eveniet ut et voluptates repudiandae sint et molestiae non recusandae. Itaque earum rerum hic tenetur a sapiente delectus, ut aut reiciendis voluptatibus maiores alias consequatur aut perferendis doloribus asperiores repellat.';

/** Reviews served by the reviews subgraph, in answer order. */
export const reviews: readonly ReviewRecord[] = [
  { id: '1', body: LOREM_IPSUM, productUpc: '1' },
  { id: '2', body: SED_UT_PERSPICIATIS, productUpc: '1' },
  { id: '3', body: SED_QUIA_CONSEQUUNTUR, productUpc: '1' },
  { id: '4', body: UT_ENIM_AD_MINIMA, productUpc: '1' },
  { id: '5', body: LOREM_IPSUM, productUpc: '2' },
  { id: '6', body: SED_UT_PERSPICIATIS, productUpc: '2' },
  { id: '7', body: SED_QUIA_CONSEQUUNTUR, productUpc: '2' },
  { id: '8', body: UT_ENIM_AD_MINIMA, productUpc: '2' },
  { id: '9', body: UT_ENIM_AD_MINIMA, productUpc: '3' },
  { id: '10', body: UT_ENIM_AD_MINIMA, productUpc: '4' },
  { id: '11', body: AT_VERO_EOS, productUpc: '4' },
];

/**
 * The reference reviews subgraph gives every review the same author (user "1", "urigo") and
 * every user, whoever was asked for, the first two reviews. Kept, because the answer size and the
 * query plan of the benchmark depend on it.
 */
export const reviewAuthor = { id: '1', username: 'urigo' } as const;

/** The reviews every user "wrote" in the reference data (see {@link reviewAuthor}). */
export const reviewsOfEveryUser: readonly ReviewRecord[] = reviews.slice(0, 2);
