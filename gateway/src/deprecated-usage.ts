/**
 * Who still uses what we deprecated: for each executed operation, the deprecated fields,
 * arguments, input fields and enum values it names, counted per client (the
 * `apollographql-client-name` header Apollo's clients send) so a removal can wait until nobody
 * needs the element any more. The counters stay in memory; the metrics endpoint reads them
 * through `deprecatedUsage()`.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '@crossdock/service';
import {
  getNamedType,
  isInputObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** The header Apollo Client and Apollo's other clients name themselves in. */
export const CLIENT_NAME_HEADER = 'apollographql-client-name';
const UNKNOWN_CLIENT = 'unknown';
/** The header is unauthenticated: bound its length and how many names get counters of their own. */
const MAX_CLIENT_NAME_LENGTH = 100;
const MAX_CLIENTS = 500;
const OTHER_CLIENTS = '(other)';

/** One deprecated schema element an operation names. */
export interface DeprecatedUse {
  /** Schema coordinate: `Type.field`, `Type.field(arg:)`, `Input.field` or `Enum.VALUE`. */
  coordinate: string;
  reason: string;
}

/** One counter: how many executed operations of `client` named `coordinate`. */
export interface DeprecatedUsageCount {
  client: string;
  coordinate: string;
  count: number;
}

/** In-memory counters per (client, coordinate); logs the first use of each pair. */
export class DeprecatedUsage {
  private readonly counts = new Map<string, Map<string, number>>();

  /** Counts one executed operation of `client` that named `uses` (each element once per operation). */
  record(client: string, uses: readonly DeprecatedUse[], logger?: Logger): void {
    if (uses.length === 0) return;
    const name = this.counts.has(client) || this.counts.size < MAX_CLIENTS ? client : OTHER_CLIENTS;
    let perClient = this.counts.get(name);
    if (!perClient) this.counts.set(name, (perClient = new Map()));
    for (const { coordinate, reason } of uses) {
      const count = perClient.get(coordinate) ?? 0;
      if (count === 0) logger?.info({ client: name, coordinate, reason }, 'deprecated schema element used');
      perClient.set(coordinate, count + 1);
    }
  }

  /** Every counter, sorted by client then coordinate; a copy, safe to keep. */
  snapshot(): DeprecatedUsageCount[] {
    const rows: DeprecatedUsageCount[] = [];
    for (const [client, perClient] of this.counts) {
      for (const [coordinate, count] of perClient) rows.push({ client, coordinate, count });
    }
    return rows.sort((a, b) => a.client.localeCompare(b.client) || a.coordinate.localeCompare(b.coordinate));
  }
}

/** The counters of this process's gateway (one gateway per process, like any metrics registry). */
const processUsage = new DeprecatedUsage();

/** A snapshot of this process's deprecated-usage counters, for the metrics endpoint. */
export function deprecatedUsage(): DeprecatedUsageCount[] {
  return processUsage.snapshot();
}

/** The client name of a request: its `apollographql-client-name` header, or `unknown`. */
export function clientName(header: string | undefined | null): string {
  const name = header?.trim().slice(0, MAX_CLIENT_NAME_LENGTH);
  return name ? name : UNKNOWN_CLIENT;
}

// Apollo Server caches parsed documents, so the same operation node comes back for the same
// query text: the analysis runs once per distinct operation (and schema), not per request.
const analyses = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, readonly DeprecatedUse[]>>();

/**
 * The deprecated elements `operation` (with the fragments it spreads) names in its selections and
 * literal arguments. Values passed in variables are not inspected: that would cost a walk per
 * request, and the field or argument they feed is counted anyway.
 */
export function deprecatedUses(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): readonly DeprecatedUse[] {
  let perSchema = analyses.get(schema);
  if (!perSchema) analyses.set(schema, (perSchema = new WeakMap()));
  let uses = perSchema.get(operation);
  if (!uses) perSchema.set(operation, (uses = analyse(schema, document, operation)));
  return uses;
}

function analyse(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): DeprecatedUse[] {
  const uses = new Map<string, string>();
  const note = (coordinate: string, reason: string | null | undefined) => {
    if (typeof reason === 'string') uses.set(coordinate, reason);
  };
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field() {
      const [parent, field] = [typeInfo.getParentType(), typeInfo.getFieldDef()];
      if (parent && field) note(`${parent.name}.${field.name}`, field.deprecationReason);
    },
    Argument() {
      const [parent, field, argument] = [typeInfo.getParentType(), typeInfo.getFieldDef(), typeInfo.getArgument()];
      if (!typeInfo.getDirective() && parent && field && argument) {
        note(`${parent.name}.${field.name}(${argument.name}:)`, argument.deprecationReason);
      }
    },
    ObjectField(node) {
      const input = getNamedType(typeInfo.getParentInputType());
      if (isInputObjectType(input)) note(`${input.name}.${node.name.value}`, input.getFields()[node.name.value]?.deprecationReason);
    },
    EnumValue() {
      const [type, value] = [getNamedType(typeInfo.getInputType()), typeInfo.getEnumValue()];
      if (type && value) note(`${type.name}.${value.name}`, value.deprecationReason);
    },
  });
  for (const definition of [operation, ...spreadFragments(document, operation)]) visit(definition, visitor);
  return [...uses].map(([coordinate, reason]) => ({ coordinate, reason }));
}

/** The fragments an operation spreads, directly or through other fragments. */
function spreadFragments(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  for (let next = pending.pop(); next; next = pending.pop()) {
    visit(next, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()];
}

/**
 * Counts deprecated usage of every operation Apollo Server executes, keyed by the request's
 * client name. `usage` defaults to this process's counters (what `deprecatedUsage()` reads).
 */
export function deprecatedUsagePlugin<TContext extends BaseContext>(logger: Logger, usage: DeprecatedUsage = processUsage): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ schema, document, operation, request }) {
          usage.record(clientName(request.http?.headers.get(CLIENT_NAME_HEADER)), deprecatedUses(schema, document, operation), logger);
        },
      };
    },
  };
}
