import { accounts, products, reviewAuthor, reviews, reviewsOfEveryUser, stock, type ReviewRecord } from './subgraphs/fixtures';

/** `TestQuery` of graphql-hive/graphql-gateways-benchmark (k6.js), as its load generator sends it. */
export const testQuery = /* GraphQL */ `fragment User on User {
      id
      username
      name
    }

    fragment Review on Review {
      id
      body
    }

    fragment Product on Product {
      inStock
      name
      price
      shippingEstimate
      upc
      weight
    }

    query TestQuery {
      users {
        ...User
        reviews {
          ...Review
          product {
            ...Product
            reviews {
              ...Review
              author {
                ...User
                reviews {
                  ...Review
                  product {
                    ...Product
                  }
                }
              }
            }
          }
        }
      }
      topProducts {
        ...Product
        reviews {
          ...Review
          author {
            ...User
            reviews {
              ...Review
              product {
                ...Product
              }
            }
          }
        }
      }
    }`;

/** The request body every load generator connection posts. */
export const testQueryBody = JSON.stringify({ query: testQuery });

/** A JSON value, for comparing answers. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The answer to {@link testQuery} worked out from the fixtures directly, without GraphQL, so a
 * gateway's answer is checked against the data rather than against another gateway.
 */
export function expectedTestQueryAnswer(): Json {
  const productFields = (upc: string): Record<string, Json> => {
    const product = products.find((candidate) => candidate.upc === upc);
    const stocked = stock.find((candidate) => candidate.upc === upc);
    if (!product || !stocked) throw new Error(`fixtures lack product ${upc}`);
    // shippingEstimate is null: inventory ignores the price and weight it is handed (resolvers.ts).
    return { inStock: stocked.inStock, name: product.name, price: product.price, shippingEstimate: null, upc, weight: product.weight };
  };
  const reviewFields = (review: ReviewRecord): Record<string, Json> => ({ id: review.id, body: review.body });
  const userFields = (id: string, username: string): Record<string, Json> => {
    const account = accounts.find((candidate) => candidate.id === id);
    if (!account) throw new Error(`fixtures lack user ${id}`);
    return { id, username, name: account.name };
  };
  const reviewsOf = (upc: string): readonly ReviewRecord[] => reviews.filter((review) => review.productUpc === upc);
  const author = (): Record<string, Json> => ({
    ...userFields(reviewAuthor.id, reviewAuthor.username),
    reviews: reviewsOfEveryUser.map((review) => ({ ...reviewFields(review), product: productFields(review.productUpc) })),
  });
  const productWithReviews = (upc: string): Record<string, Json> => ({
    ...productFields(upc),
    reviews: reviewsOf(upc).map((review) => ({ ...reviewFields(review), author: author() })),
  });
  return {
    data: {
      users: accounts.map((account) => ({
        ...userFields(account.id, account.username),
        reviews: reviewsOfEveryUser.map((review) => ({ ...reviewFields(review), product: productWithReviews(review.productUpc) })),
      })),
      topProducts: products.slice(0, 5).map((product) => productWithReviews(product.upc)),
    },
  };
}
