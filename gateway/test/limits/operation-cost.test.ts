import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { costDirectivesFromSdl } from '../../src/limits/cost-directives';
import { fragmentsOf } from '../../src/limits/document-shape';
import { DEFAULT_LIMITS, type CostSettings } from '../../src/limits/limits-policy';
import { CostModel } from '../../src/limits/operation-cost';

/** The part of CONTRACT.md's schema the cost examples walk, without any cost directives. */
const sdl = /* GraphQL */ `
  type Query {
    order(id: ID!): Order
    orders(first: Int = 20, after: String): OrderConnection!
    warehouses: [Warehouse!]!
  }
  type Mutation { placeOrder(input: PlaceOrderInput!): PlaceOrderPayload! }
  input PlaceOrderInput { customerId: ID! }
  type PlaceOrderPayload { order: Order  errors: [UserError!]! }
  type UserError { code: String! }
  type OrderConnection { edges: [OrderEdge!]!  pageInfo: PageInfo! }
  type PageInfo { hasNextPage: Boolean! }
  type OrderEdge { cursor: String!  node: Order! }
  type Order { id: ID!  status: String!  customer: Customer!  total: Money  lines: [OrderLine!]!  shipments: [Shipment!]! }
  type Money { amount: String!  currency: String! }
  type Customer { name: String! }
  type OrderLine { sku: ID!  product: Product! }
  type Product { name: String!  inventory: [InventoryPosition!]! }
  type InventoryPosition { available: Int!  warehouse: Warehouse! }
  type Warehouse { name: String! }
  type Shipment { status: String! }
`;
const schema = buildSchema(sdl);

function costOf(query: string, variables: Record<string, unknown> = {}, settings: Partial<CostSettings> = {}, model?: CostModel): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  if (!operation) throw new Error('no operation');
  const costs = model ?? new CostModel(schema, { ...DEFAULT_LIMITS.cost, ...settings });
  return costs.operationCost(operation, fragmentsOf(document), variables);
}

describe('static operation cost (demand-control spec defaults, no directives)', () => {
  it('prices objects 1, scalars 0, and multiplies a connection by its `first`', () => {
    // orders 1 + edges 2 × (edge 1 + node 1 + customer 1 + total 1 + shipments 10 × 1)
    const query = '{ orders(first: 2) { edges { node { id status customer { name } total { amount currency } shipments { status } } } } }';
    expect(costOf(query)).toBe(1 + 2 * (1 + 1 + 1 + 1 + 10));
  });

  it('multiplies nested lists: a hundred orders with their lines, products and stock', () => {
    const query = '{ orders(first: 100) { edges { node { lines { product { inventory { warehouse { name } } } } } } } }';
    // inventory 10 × (1 + warehouse 1) = 20; lines 10 × (line 1 + product 1 + 20) = 220; edges 100 × (1 + node 1 + 220)
    expect(costOf(query)).toBe(1 + 100 * (1 + 1 + 220));
  });

  it('takes list sizes from variables, the variable default, and the argument default', () => {
    const query = 'query ($n: Int = 5) { orders(first: $n) { edges { node { id } } } }';
    expect(costOf(query, { n: 50 })).toBe(1 + 50 * 2);
    expect(costOf(query)).toBe(1 + 5 * 2);
    expect(costOf('{ orders { edges { node { id } } } }')).toBe(1 + 20 * 2);
    expect(costOf('query ($n: Int) { orders(first: $n) { edges { node { id } } } }')).toBe(1 + 20 * 2);
  });

  it('prices each spread of a fragment with the size where it is spread', () => {
    const query = `{ a: orders(first: 2) { ...Page } b: orders(first: 3) { ...Page } }
      fragment Page on OrderConnection { edges { node { id } } }`;
    expect(costOf(query)).toBe(1 + 2 * 2 + (1 + 3 * 2));
  });

  it('adds the mutation weight, and leaves introspection free', () => {
    expect(costOf('mutation { placeOrder(input: { customerId: "C1" }) { order { id } errors { code } } }')).toBe(10 + 1 + 1 + 10);
    expect(costOf('{ __schema { types { name fields { name } } } __typename }')).toBe(0);
  });

  it('lets the limits file size and weigh fields and types', () => {
    const query = '{ order(id: "1") { lines { product { name } } } warehouses { name } }';
    expect(costOf(query)).toBe(1 + 10 * 2 + 10);
    const settings = { fields: { 'Order.lines': { assumedSize: 3 }, 'Query.warehouses': { assumedSize: 4, weight: 5 } }, types: { Product: 2 } };
    expect(costOf(query, {}, settings)).toBe(1 + 3 * (1 + 2) + 4 * 5);
  });
});

describe('@cost and @listSize in the SDL', () => {
  const annotated = /* GraphQL */ `
    directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
    directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
    type Query {
      products(limit: Int, first: Int): ProductPage! @listSize(slicingArguments: ["limit", "first"], sizedFields: ["items"])
      warehouses: [Warehouse!]! @listSize(assumedSize: 3)
      report: String @cost(weight: 50)
    }
    type ProductPage { items: [Product!]! }
    type Product @cost(weight: 2) { name: String! }
    type Warehouse { name: String! }
  `;
  const model = (settings: Partial<CostSettings> = {}) =>
    new CostModel(buildSchema(annotated), { ...DEFAULT_LIMITS.cost, ...settings }, costDirectivesFromSdl(annotated));

  it('reads weights, assumed sizes, slicing arguments and sized fields', () => {
    expect(costDirectivesFromSdl(annotated)).toEqual({
      fields: {
        'Query.products': { slicingArguments: ['limit', 'first'], sizedFields: ['items'] },
        'Query.warehouses': { assumedSize: 3 },
        'Query.report': { weight: 50 },
      },
      types: { Product: 2 },
    });
  });

  it('sizes by the largest slicing argument given and weighs by the directives', () => {
    expect(costOf('{ products(limit: 4, first: 7) { items { name } } }', {}, {}, model())).toBe(1 + 7 * 2);
    expect(costOf('{ warehouses { name } report }', {}, {}, model())).toBe(3 * 1 + 50);
  });

  it('lets the limits file win over the directives', () => {
    expect(costOf('{ warehouses { name } }', {}, {}, model({ fields: { 'Query.warehouses': { assumedSize: 30 } } }))).toBe(30);
  });
});
