import { composeServices } from '@apollo/composition';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse, print, validate } from 'graphql';
import gql from 'graphql-tag';
import { completeResult, type ScopeEnforcer } from '../src/authorization';
import { loadEnforcer } from './scope-support';

/** The committed supergraph has no Subscription type yet; this graph has the contract's shape of one. */
const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@authenticated", "@requiresScopes"])
  type Query @authenticated {
    order(id: ID!): Order @requiresScopes(scopes: [["orders:read"]])
  }
  type Subscription @authenticated {
    orderStatusChanged(orderId: ID): Order! @requiresScopes(scopes: [["orders:read"]])
  }
  type Order @key(fields: "id") {
    id: ID!
    status: String!
    total: String @requiresScopes(scopes: [["pricing:read"]])
  }
`;

describe('scope enforcement of a subscription (same check, applied to every event)', () => {
  let enforcer: ScopeEnforcer;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const composed = composeServices([{ name: 'orders', url: 'http://orders.invalid/graphql', typeDefs }]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    ({ enforcer, stop } = await loadEnforcer(composed.supergraphSdl));
  });
  afterAll(async () => stop());

  const authorize = (query: string, scopes: string[]) =>
    enforcer.authorize({ document: parse(query), operationName: undefined, queryHash: query, access: { authenticated: true, scopes: new Set(scopes) } });

  it('subscribes to the reduced operation and completes each event with the nulls and FORBIDDEN errors', () => {
    const scoped = authorize('subscription { orderStatusChanged { id status total } }', ['orders:read']);
    expect(scoped && print(scoped.document)).toContain('total: __typename');
    expect(validate(enforcer.schema, scoped!.document)).toEqual([]);
    for (const id of ['O1', 'O2']) {
      const event = completeResult(scoped!, { data: { orderStatusChanged: { id, status: 'SHIPPED', total: 'Order' } } });
      expect(event.data).toEqual({ orderStatusChanged: { id, status: 'SHIPPED', total: null } });
      expect(event.errors?.map((e) => [e.extensions['code'], e.path])).toEqual([['FORBIDDEN', ['orderStatusChanged', 'total']]]);
    }
    expect(authorize('subscription { orderStatusChanged { id total } }', ['orders:read', 'pricing:read'])).toBeNull();
  });

  it('marks a forbidden root field, which the transport answers with FORBIDDEN instead of subscribing', () => {
    const scoped = authorize('subscription { orderStatusChanged { id } }', ['pricing:read']);
    expect(Object.fromEntries(scoped?.forbidden.forbidden ?? [])).toEqual({
      orderStatusChanged: { nullable: false, message: 'Forbidden: Subscription.orderStatusChanged needs scope orders:read' },
    });
  });
});
