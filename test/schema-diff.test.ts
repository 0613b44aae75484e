import { describe, expect, it } from '@jest/globals';
import { buildSchema, findBreakingChanges, findDangerousChanges } from 'graphql';
import { diffSchemas } from '../scripts/schema-diff';

const before = buildSchema(/* GraphQL */ `
  type Query {
    order(id: ID!): Order
    orders(status: Status, first: Int = 20): [Order!]!
    legacyOrder(number: String!): LegacyOrder @deprecated(reason: "use order")
  }
  type Order { id: ID!  status: Status!  note: String  total: String }
  type LegacyOrder { number: String! }
  enum Status { OPEN SHIPPED HELD @deprecated(reason: "merged into OPEN") }
  input Filter { status: Status  channel: String @deprecated(reason: "use channels") }
  type Mutation { place(filter: Filter): Order }
`);

const after = buildSchema(/* GraphQL */ `
  type Query {
    order(id: ID!, region: String!): Order
    orders(status: [Status], first: Int = 50, after: String): [Order!]!
  }
  type Order { id: ID!  status: Status!  note: String!  total: Int  placedAt: String }
  enum Status { OPEN SHIPPED CANCELLED }
  input Filter { status: Status  warehouse: ID! }
  type Mutation { place(filter: Filter): Order }
`);

describe('schema diff', () => {
  const changes = diffSchemas(before, after);
  const summary = changes.map((c) => `${c.severity}${c.deprecatedFirst ? ' (deprecated first)' : ''}: ${c.message}`);

  it('classifies every change and allows only removals announced by a deprecation', () => {
    expect(summary).toEqual([
      'breaking (deprecated first): input field Filter.channel was removed',
      'breaking: required input field Filter.warehouse was added',
      'breaking (deprecated first): object type LegacyOrder was removed',
      'breaking: field Order.total changed type from String to Int',
      'breaking (deprecated first): field Query.legacyOrder was removed',
      'breaking: required argument Query.order(region:) was added',
      'breaking: argument Query.orders(status:) changed type from Status to [Status]',
      'breaking (deprecated first): enum value Status.HELD was removed',
      'dangerous: optional argument Query.orders(after:) was added',
      'dangerous: argument Query.orders(first:) changed its default from 20 to 50',
      'dangerous: enum value Status.CANCELLED was added: clients may not handle it',
      'safe: field Order.note changed type from String to String!',
      'safe: field Order.placedAt was added',
    ]);
  });

  it('finds as many breaking and dangerous changes as graphql-js does', () => {
    expect(changes.filter((c) => c.severity === 'breaking')).toHaveLength(findBreakingChanges(before, after).length);
    expect(changes.filter((c) => c.severity === 'dangerous')).toHaveLength(findDangerousChanges(before, after).length);
  });

  it('finds nothing between a schema and itself', () => {
    expect(diffSchemas(before, before)).toEqual([]);
  });
});
