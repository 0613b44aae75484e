import { createRequire } from 'node:module';
import {
  buildSchema,
  isCompositeType,
  isCustomScalarType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  operationFromDocument,
  possibleRuntimeTypes,
  type CompositeType,
  type FieldSelection,
  type Operation,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import { ConfigError } from '@crossdock/service';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse, type GraphQLError } from 'graphql';
import gql from 'graphql-tag';
import { readGatewayConfig } from '../src/config';
import { apolloComputeResponse, computeResponse, currentResultShaping, useResultShaping, type ShapingInput } from '../src/result-shaping';
import { startTestGateway, TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET, writeSupergraph } from './support/test-gateway';

/**
 * A schema with every kind of type result shaping treats apart: objects, an interface and a
 * union (type conditions by `__typename`), an enum, a custom scalar and every built-in scalar,
 * non-null and nested lists.
 */
const SDL = `
  scalar Money
  enum Status { OPEN SHIPPED CANCELLED }
  interface Node { id: ID! }
  type Order implements Node {
    id: ID!
    status: Status!
    total: Money
    lines: [Line!]!
    tags: [[String]]
    customer: Customer
    placedAt: String
  }
  type Line { sku: String! quantity: Int! price: Float weight: Float urgent: Boolean }
  type Customer implements Node { id: ID! name: String! onHold: Boolean! orders: [Order] }
  type Parcel { tracking: String! }
  union Searchable = Order | Customer | Parcel
  type Query {
    orders(first: Int): [Order]
    order(id: ID!): Order!
    node(id: ID!): Node
    search(text: String): [Searchable!]
    count: Int
  }
`;

/** Operations covering aliases, fragments (nested too), the same response name from two places, skip and include. */
const QUERIES = [
  `query A($withTags: Boolean!, $noCustomer: Boolean = false) {
    orders(first: 3) {
      id
      __typename
      kind: __typename
      status
      total
      lines { sku quantity price weight urgent }
      tags @include(if: $withTags)
      customer @skip(if: $noCustomer) { id name onHold }
      ... on Order { customer { name orders { id status } } placedAt }
    }
    count
  }`,
  `query B {
    node(id: "1") {
      id
      __typename
      ... on Order { status lines { sku } }
      ... on Customer { name onHold orders { id lines { quantity } } }
    }
    search(text: "x") {
      ... on Node { id ... on Customer { onHold } ... on Order { placedAt } }
      ... on Order { status total }
      ... on Customer { name }
      ... on Parcel { tracking }
      ... { t: __typename }
    }
  }`,
  `query C($skipLines: Boolean!) {
    order(id: "1") {
      id
      first: lines { sku }
      lines @skip(if: $skipLines) { sku quantity }
      ... @include(if: true) { status }
      ... on Order @skip(if: true) { placedAt }
    }
    again: order(id: "1") { status }
  }`,
];

/** A seeded generator, so a failing case can be found again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random merged answers for an operation, as a query plan's fetches could leave them: mostly
 * right, sometimes with a null, a missing key, a wrong or unknown `__typename`, a leaf of the
 * wrong type, an unknown enum value or an object where a list belongs.
 */
class AnswerGenerator {
  constructor(
    private readonly schema: Schema,
    private readonly next: () => number,
    private readonly faults: number,
  ) {}

  private chance(p: number): boolean {
    return this.next() < p * this.faults;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  object(selectionSet: SelectionSet, parentType: CompositeType, depth: number): Record<string, unknown> {
    const target: Record<string, unknown> = {};
    const runtime = possibleRuntimeTypes(parentType);
    let typename: string | undefined = this.pick(runtime).name;
    if (this.chance(0.05)) typename = this.pick(['Nope', 'String', 'Status', 'Node']);
    if (!isObjectType(parentType) || this.next() < 0.5) target.__typename = typename;
    else typename = undefined;
    if (this.chance(0.01)) target.__typename = 42;
    this.fill(target, selectionSet, typename ?? parentType.name, depth);
    return target;
  }

  private fill(target: Record<string, unknown>, selectionSet: SelectionSet, typename: string, depth: number): void {
    for (const selection of selectionSet.selections()) {
      if (selection.kind === 'FragmentSelection') {
        this.fill(target, selection.selectionSet, typename, depth);
        continue;
      }
      const field = selection.element;
      const name = field.responseName();
      if (name in target || field.name === '__typename') continue;
      if (this.chance(0.03)) continue;
      target[name] = this.value(field.definition.type!, selection.selectionSet, depth + 1);
    }
  }

  private value(type: Type, selectionSet: SelectionSet | undefined, depth: number): unknown {
    if (isNonNullType(type)) return this.chance(0.04) ? null : this.value(type.ofType, selectionSet, depth);
    if (this.chance(0.06)) return null;
    if (isListType(type)) {
      if (this.chance(0.01)) return { not: 'a list' };
      const length = depth > 4 ? 0 : Math.floor(this.next() * 4);
      return Array.from({ length }, () => this.value(type.ofType, selectionSet, depth + 1));
    }
    if (isCompositeType(type)) {
      if (this.chance(0.01)) return 'not an object';
      return this.object(selectionSet!, type, depth);
    }
    if (this.chance(0.05)) return this.pick([true, 1.5, 7, 'text', 'PENDING', Number.NaN, [], {}]);
    if (isEnumType(type)) return this.pick(type.values).name;
    if (isCustomScalarType(type)) return this.pick(['12.50', 3, { amount: '1.00' }]);
    switch (type.name) {
      case 'Int':
        return Math.floor(this.next() * 100) - 50;
      case 'Float':
        return this.next() * 10;
      case 'Boolean':
        return this.next() < 0.5;
      case 'ID':
        return this.next() < 0.5 ? `id-${Math.floor(this.next() * 9)}` : Math.floor(this.next() * 9);
      default:
        return `s${Math.floor(this.next() * 100)}`;
    }
  }
}

/** What a shaping gave: the data as JSON (key order included), the errors, or what it threw. */
function outcome(shape: (input: ShapingInput) => { data: unknown; errors: GraphQLError[] }, input: ShapingInput): unknown {
  try {
    const { data, errors } = shape(input);
    return { data: JSON.stringify(data), errors: errors.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })) };
  } catch (error) {
    return { threw: error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error) };
  }
}

describe('result shaping', () => {
  const schema = buildSchema(SDL);
  const operations: Operation[] = QUERIES.map((query) => operationFromDocument(schema, parse(query)));
  const apollo = apolloComputeResponse();
  const introspectionHandling = (selection: FieldSelection) => ({ introspected: selection.element.responseName() });

  afterAll(() => useResultShaping('crossdock'));

  it('answers exactly as @apollo/gateway on random answers, valid and invalid alike', () => {
    const next = random(20261128);
    const generate = new AnswerGenerator(schema, next, 1);
    let withErrors = 0;
    let threw = 0;
    let clean = 0;
    for (let run = 0; run < 3000; run++) {
      const operation = operations[run % operations.length]!;
      const variables = { withTags: next() < 0.5, noCustomer: next() < 0.3, skipLines: next() < 0.5 };
      const input = generate.object(operation.selectionSet, schema.schemaDefinition.rootType('query')!, 0);
      // Each shaping gets its own copy: neither may lean on the other having run.
      const theirs = outcome(apollo, { operation, variables, input: structuredClone(input), introspectionHandling });
      const ours = outcome(computeResponse, { operation, variables, input: structuredClone(input), introspectionHandling });
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
        throw new Error(`run ${run} differs\ninput ${JSON.stringify(input)}\napollo ${JSON.stringify(theirs)}\nours   ${JSON.stringify(ours)}`);
      }
      const result = theirs as { threw?: string; errors?: unknown[] };
      if (result.threw) threw++;
      else if (result.errors!.length > 0) withErrors++;
      else clean++;
    }
    // The generator reached every branch: clean answers, answers with errors, and assertions.
    expect(clean).toBeGreaterThan(100);
    expect(withErrors).toBeGreaterThan(300);
    expect(threw).toBeGreaterThan(10);
  });

  it('answers exactly as @apollo/gateway on well-formed answers, which have no errors', () => {
    const next = random(7);
    const generate = new AnswerGenerator(schema, next, 0);
    for (let run = 0; run < 300; run++) {
      const operation = operations[run % operations.length]!;
      const variables = { withTags: run % 2 === 0, noCustomer: run % 3 === 0, skipLines: run % 5 === 0 };
      const input = generate.object(operation.selectionSet, schema.schemaDefinition.rootType('query')!, 0);
      const theirs = outcome(apollo, { operation, variables, input: structuredClone(input), introspectionHandling });
      const ours = outcome(computeResponse, { operation, variables, input: structuredClone(input), introspectionHandling });
      expect(ours).toEqual(theirs);
      expect(theirs).toMatchObject({ errors: [] });
    }
  });

  it('keeps response names that are Object.prototype keys as own keys, and hands introspection fields over', () => {
    const operation = operationFromDocument(schema, parse('{ constructor: count toString: count __schema { queryType { name } } }'));
    const { data, errors } = computeResponse({ operation, input: { constructor: 3, toString: 4 }, introspectionHandling });
    expect(errors).toEqual([]);
    expect(JSON.stringify(data)).toBe('{"constructor":3,"toString":4,"__schema":{"introspected":"__schema"}}');
    expect(computeResponse({ operation, input: null, introspectionHandling })).toEqual({ data: null, errors: [] });
  });

  it('is what @apollo/gateway runs once installed, and Apollo\'s own comes back on request', () => {
    const module = createRequire(__filename)('@apollo/gateway/dist/resultShaping') as { computeResponse: unknown };
    useResultShaping('crossdock');
    expect(module.computeResponse).toBe(computeResponse);
    expect(currentResultShaping()).toBe('crossdock');
    useResultShaping('apollo');
    expect(module.computeResponse).toBe(apollo);
    expect(currentResultShaping()).toBe('apollo');
  });

  it('is the gateway\'s unless GATEWAY_RESULT_SHAPING=apollo, which a started gateway installs; a bad value is refused', async () => {
    const env = { HUB_JWT_SECRET: TEST_JWT_SECRET, HUB_SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET, REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(readGatewayConfig(env).resultShaping).toBe('crossdock');
    expect(readGatewayConfig({ ...env, GATEWAY_RESULT_SHAPING: 'apollo' }).resultShaping).toBe('apollo');
    expect(() => readGatewayConfig({ ...env, GATEWAY_RESULT_SHAPING: 'fast' })).toThrow(ConfigError);
    const supergraph = writeSupergraph([
      {
        name: 'only',
        url: 'http://127.0.0.1:9/graphql',
        typeDefs: gql`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
          type Query { ping: String }
        `,
      },
    ]);
    for (const shaping of ['apollo', 'crossdock'] as const) {
      const gateway = await startTestGateway(supergraph, { resultShaping: shaping });
      await gateway.close();
      expect(currentResultShaping()).toBe(shaping);
    }
  });
});
