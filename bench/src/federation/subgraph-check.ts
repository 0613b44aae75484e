import type { SubgraphName } from './subgraphs/resolvers';
import { describeDifference, postGraphQL } from './answer-check';
import type { Json } from './test-query';

interface EntityProbe {
  subgraph: SubgraphName;
  representations: Json[];
  selection: string;
  expected: Json[];
}

/** One `_entities` request per entity type and subgraph, answers spelled out from the reference data. */
const probes: readonly EntityProbe[] = [
  {
    subgraph: 'accounts',
    representations: [{ __typename: 'User', id: '2' }],
    selection: '... on User { id name username }',
    expected: [{ id: '2', name: 'Dotan Simha', username: 'dotansimha' }],
  },
  {
    subgraph: 'products',
    representations: [{ __typename: 'Product', upc: '8' }],
    selection: '... on Product { upc name price weight }',
    expected: [{ upc: '8', name: 'Fridge', price: 100000, weight: 6000 }],
  },
  {
    subgraph: 'inventory',
    representations: [
      { __typename: 'Product', upc: '1', price: 899, weight: 100 },
      { __typename: 'Product', upc: '2', price: 1299, weight: 1000 },
    ],
    selection: '... on Product { upc inStock shippingEstimate }',
    expected: [
      { upc: '1', inStock: true, shippingEstimate: null },
      { upc: '2', inStock: false, shippingEstimate: null },
    ],
  },
  {
    subgraph: 'reviews',
    representations: [
      { __typename: 'Product', upc: '3' },
      { __typename: 'User', id: '4' },
      { __typename: 'Review', id: '11' },
    ],
    selection:
      '... on Product { upc reviews { id } } ... on User { id reviews { id } } ... on Review { id author { id username } product { upc } }',
    expected: [
      { upc: '3', reviews: [{ id: '9' }] },
      { id: '4', reviews: [{ id: '1' }, { id: '2' }] },
      { id: '11', author: { id: '1', username: 'urigo' }, product: { upc: '4' } },
    ],
  },
];

/**
 * Sends each subgraph `_entities` queries as a gateway would and checks the answers, so a wrong
 * subgraph is reported as such rather than as a gateway mismatch. Throws on the first problem.
 */
export async function checkSubgraphEntities(ports: Record<SubgraphName, number>): Promise<void> {
  for (const probe of probes) {
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ${probe.selection} } }`;
    const url = `http://127.0.0.1:${ports[probe.subgraph]}/graphql`;
    const answer = await postGraphQL(url, JSON.stringify({ query, variables: { representations: probe.representations } }));
    const problem = describeDifference(answer, { data: { _entities: probe.expected } });
    if (problem) throw new Error(`${probe.subgraph} subgraph answers _entities wrongly: ${problem}`);
  }
}
