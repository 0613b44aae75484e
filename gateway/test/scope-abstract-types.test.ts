import { composeServices } from '@apollo/composition';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import gql from 'graphql-tag';
import type { ScopeEnforcer } from '../src/authorization';
import { errorPaths, loadEnforcer, run } from './scope-support';

/** The committed supergraph has no interfaces or unions yet; this one-subgraph graph has both. */
const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@authenticated", "@requiresScopes"])
  type Query @authenticated {
    nodes: [Node!]!
    search: [Result!]!
  }
  interface Node {
    id: ID!
    note: String
  }
  type Order implements Node {
    id: ID!
    note: String @requiresScopes(scopes: [["orders:notes"]])
    total: String @requiresScopes(scopes: [["pricing:read"]])
  }
  type Product implements Node {
    id: ID!
    note: String
    name: String!
  }
  type Invoice @requiresScopes(scopes: [["invoices:read"]]) {
    id: ID!
  }
  union Result = Product | Invoice
`;

const root = {
  nodes: [
    { __typename: 'Order', id: 'O1', note: 'rush', total: '10.00' },
    { __typename: 'Product', id: 'P1', note: 'fragile', name: 'Widget' },
    { __typename: 'Order', id: 'O2', note: null, total: '20.00' },
  ],
  search: [{ __typename: 'Product', id: 'P1', name: 'Widget' }],
};

describe('scope enforcement on interfaces and unions', () => {
  let enforcer: ScopeEnforcer;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const composed = composeServices([{ name: 'shop', url: 'http://shop.invalid/graphql', typeDefs }]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    ({ enforcer, stop } = await loadEnforcer(composed.supergraphSdl));
  });
  afterAll(async () => stop());

  it('nulls a field of an inline fragment only for the items of that type', async () => {
    const result = await run(enforcer, '{ nodes { id ... on Order { total } ... on Product { name } } }', { scopes: ['orders:notes'], root });
    expect(result.data).toEqual({ nodes: [{ id: 'O1', total: null }, { id: 'P1', name: 'Widget' }, { id: 'O2', total: null }] });
    expect(errorPaths(result)).toEqual([['FORBIDDEN', 'nodes.0.total'], ['FORBIDDEN', 'nodes.2.total']]);
  });

  it('asks an interface field for what any implementation of it needs', async () => {
    const onInterface = await run(enforcer, '{ nodes { id note } }', { scopes: ['pricing:read'], root });
    expect(onInterface.data).toEqual({ nodes: [{ id: 'O1', note: null }, { id: 'P1', note: null }, { id: 'O2', note: null }] });
    expect(errorPaths(onInterface)).toHaveLength(3);

    // Asked on the type that needs nothing for it, it is served.
    const onProduct = await run(enforcer, '{ nodes { id ... on Product { note } } }', { scopes: ['pricing:read'], root });
    expect(onProduct.errors).toBeUndefined();
    expect(onProduct.data).toEqual({ nodes: [{ id: 'O1' }, { id: 'P1', note: 'fragile' }, { id: 'O2' }] });
  });

  it('forbids a key everywhere at a level when one of its selections is forbidden, so fields still merge', async () => {
    const result = await run(enforcer, '{ nodes { note ... on Product { note } } }', { scopes: [], root });
    expect(errorPaths(result)).toEqual([0, 1, 2].map((i) => ['FORBIDDEN', `nodes.${i}.note`]));
  });

  it('requires, for a field returning a union, every member type that could come back', async () => {
    const refused = await run(enforcer, '{ search { ... on Product { name } ... on Invoice { id } } }', { scopes: [], root });
    expect(refused.data).toBeNull();
    expect(refused.errors?.map((e) => e.message)).toEqual(['Forbidden: Query.search needs scope invoices:read']);
    const allowed = await run(enforcer, '{ search { ... on Product { name } } }', { scopes: ['invoices:read'], root });
    expect(allowed).toMatchObject({ data: { search: [{ name: 'Widget' }] } });
    expect(allowed.errors).toBeUndefined();
  });
});
