import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@crossdock/testkit';
import {
  buildASTSchema,
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Builds operations that walk the composed graph: for a root field, one selection of every scalar
 * field and every object field below it to a bounded depth, `__typename` on every object (so a
 * checker can tell which records a response holds), abstract types through a fragment per
 * possible type. Generated from the supergraph, so a field added to any subgraph is walked
 * without anyone editing the test.
 */

/** The composed supergraph as graphql-js reads it; only what clients can reach is walked. */
export function loadSupergraph(): GraphQLSchema {
  const sdl = readFileSync(join(repoRoot(), 'supergraph.graphql'), 'utf8');
  // The supergraph declares every directive it uses, so it builds as it stands.
  return buildASTSchema(parse(sdl), { assumeValidSDL: true });
}

/** A field the API schema leaves out (`@inaccessible`), or a federation-internal one. */
function isHidden(field: GraphQLField<unknown, unknown>): boolean {
  return field.name.startsWith('_') || (field.astNode?.directives ?? []).some((d) => d.name.value === 'inaccessible');
}

/** Fields of a type that a client can select. */
export function clientFields(type: GraphQLObjectType): GraphQLField<unknown, unknown>[] {
  return Object.values(type.getFields()).filter((field) => !isHidden(field));
}

/** A nested field's argument value (a scalar, written inline); `undefined` leaves it out, so its default applies. */
export type NestedArguments = (parent: string, field: string, arg: GraphQLArgument) => string | number | boolean | undefined;

export interface WalkOptions {
  /** Object levels below the root field. */
  depth: number;
  /** How often one type may appear on a path: bounds cycles such as Order → Customer → orders → Order. */
  maxRepeats: number;
  nestedArguments: NestedArguments;
}

/** One operation: `query` with its variables, for one root field and one set of its argument values. */
export interface WalkOperation {
  field: string;
  query: string;
  variables: Record<string, unknown>;
}

/**
 * The operation for `rootField` with `args` (by argument name; arguments left out take their
 * defaults). Arguments travel as variables, typed as the schema types them.
 */
export function rootOperation(schema: GraphQLSchema, root: 'Query' | 'Mutation', rootField: string, args: Record<string, unknown>, options: WalkOptions): WalkOperation {
  const rootType = root === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const field = rootType?.getFields()[rootField];
  if (!rootType || !field) throw new Error(`${root}.${rootField} is not in the supergraph`);
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const argumentList = field.args.flatMap((arg) => {
    if (!(arg.name in args)) {
      if (isNonNullType(arg.type) && arg.defaultValue === undefined) throw new Error(`${root}.${rootField}: no value for required argument "${arg.name}"`);
      return [];
    }
    const variable = `v${definitions.length}`;
    definitions.push(`$${variable}: ${String(arg.type)}`);
    variables[variable] = args[arg.name];
    return [`${arg.name}: $${variable}`];
  });
  const head = `${root === 'Query' ? 'query' : 'mutation'} Walk${definitions.length > 0 ? `(${definitions.join(', ')})` : ''}`;
  const call = argumentList.length > 0 ? `${rootField}(${argumentList.join(', ')})` : rootField;
  const below = selectionOf(schema, getNamedType(field.type), options, options.depth, [rootType.name]);
  return { field: rootField, query: `${head} { ${call}${below} }`, variables };
}

/** ` { ... }` for an object or abstract type, '' for a leaf. */
function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, options: WalkOptions, depth: number, path: readonly string[]): string {
  if (isLeafType(type)) return '';
  if (isAbstractType(type)) {
    const fragments = schema.getPossibleTypes(type).map((possible) => `... on ${possible.name}${selectionOf(schema, possible, options, depth, path)}`);
    return ` { __typename ${fragments.join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const onPath = [...path, type.name];
  const parts = ['__typename'];
  for (const field of clientFields(type)) {
    const target = getNamedType(field.type);
    if (isLeafType(target)) {
      parts.push(`${field.name}${argumentsOf(type.name, field, options)}`);
      continue;
    }
    const repeats = onPath.filter((name) => name === target.name).length;
    if (depth <= 0 || repeats >= options.maxRepeats) continue;
    parts.push(`${field.name}${argumentsOf(type.name, field, options)}${selectionOf(schema, target, options, depth - 1, onPath)}`);
  }
  return ` { ${parts.join(' ')} }`;
}

/** Literal arguments of a nested field; a required one without a value stops the walk loudly. */
function argumentsOf(parent: string, field: GraphQLField<unknown, unknown>, options: WalkOptions): string {
  const given = field.args.flatMap((arg) => {
    const value = options.nestedArguments(parent, field.name, arg);
    if (value === undefined) {
      if (isNonNullType(arg.type) && arg.defaultValue === undefined) throw new Error(`${parent}.${field.name}: no value for required argument "${arg.name}"`);
      return [];
    }
    return [`${arg.name}: ${JSON.stringify(value)}`];
  });
  return given.length > 0 ? `(${given.join(', ')})` : '';
}
