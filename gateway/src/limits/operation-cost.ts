import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostDirectives } from './cost-directives';
import type { CostSettings, FieldCost } from './limits-policy';

/** The argument Relay-style connections and our lists page with. */
const FIRST = 'first';

/**
 * Static ("estimated") cost of an operation, before anything runs, as the GraphQL demand-control
 * spec defines it (https://ibm.github.io/graphql-specs/cost-spec.html, Apollo's `@cost` and
 * `@listSize`):
 * - a field costs its type's weight: objects, interfaces and unions 1, scalars and enums 0,
 *   unless `@cost` on the field or its type says otherwise; plus the cost of its selection;
 * - a list field multiplies that by its size: the largest slicing argument given (or that
 *   argument's default), else `assumedSize`, else `defaultListSize`; with `sizedFields` the size
 *   applies to those child fields instead (a connection's `edges`);
 * - a mutation adds `mutationWeight`.
 * Without directives, a field with a `first` argument is taken as sliced by it, and sized on
 * `edges` when it returns a connection. The limits file wins over the SDL's directives, field
 * by field. Fragments on abstract types are all counted (an upper bound); introspection is free
 * (the gateway answers it from its schema). Argument and input weights are not modelled.
 */
export class CostModel {
  private readonly types: Record<string, number>;
  private readonly fieldCosts = new Map<string, FieldCost>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly settings: CostSettings,
    private readonly directives: CostDirectives = { fields: {}, types: {} },
  ) {
    this.types = { ...directives.types, ...settings.types };
  }

  operationCost(
    operation: OperationDefinitionNode,
    fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    variables: Readonly<Record<string, unknown>> = {},
  ): number {
    const root = this.schema.getRootType(operation.operation);
    if (!root) return 0;
    const values: Record<string, unknown> = {};
    for (const definition of operation.variableDefinitions ?? []) {
      if (definition.defaultValue) values[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
    }
    Object.assign(values, variables);
    const spreads = new Map<string, number>();

    const setCost = (set: SelectionSetNode, parent: GraphQLCompositeType, sized: ReadonlyMap<string, number> | null): number => {
      let total = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          total += fieldCost(selection, parent, sized);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          total += setCost(selection.selectionSet, this.compositeType(selection.typeCondition?.name.value) ?? parent, sized);
        } else {
          // A fragment's cost does not depend on where it is spread, only on the sizes passed in.
          const key = `${selection.name.value}|${sized ? [...sized].join() : ''}`;
          let cost = spreads.get(key);
          if (cost === undefined) {
            spreads.set(key, 0); // validation refuses cycles; this keeps a bad document finite anyway
            const fragment = fragments.get(selection.name.value);
            cost = fragment ? setCost(fragment.selectionSet, this.compositeType(fragment.typeCondition.name.value) ?? parent, sized) : 0;
            spreads.set(key, cost);
          }
          total += cost;
        }
      }
      return total;
    };

    const fieldCost = (node: FieldNode, parent: GraphQLCompositeType, sized: ReadonlyMap<string, number> | null): number => {
      if (node.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
      const field = parent.getFields()[node.name.value];
      if (!field) return 0;
      const cost = this.fieldCost(parent.name, field);
      const named = getNamedType(field.type);
      const weight = cost.weight ?? this.types[named.name] ?? (isCompositeType(named) ? 1 : 0);
      const size = this.listSize(cost, node, field, values);
      const sizedChildren = cost.sizedFields?.length ? new Map(cost.sizedFields.map((name) => [name, size])) : null;
      const children = node.selectionSet && isCompositeType(named) ? setCost(node.selectionSet, named, sizedChildren) : 0;
      const ownSize = sizedChildren ? (cost.assumedSize ?? this.settings.defaultListSize) : size;
      const multiplier = sized?.get(node.name.value) ?? (isList(field.type) ? ownSize : 1);
      return multiplier * (weight + children);
    };

    const cost = setCost(operation.selectionSet, root, null);
    return operation.operation === 'mutation' ? cost + this.settings.mutationWeight : cost;
  }

  /** A field's settings: the `first` convention, then the SDL's directives, then the limits file. */
  private fieldCost(typeName: string, field: GraphQLField<unknown, unknown>): FieldCost {
    const key = `${typeName}.${field.name}`;
    let cost = this.fieldCosts.get(key);
    if (!cost) {
      const convention: FieldCost = {};
      if (field.args.some((a) => a.name === FIRST)) {
        convention.slicingArguments = [FIRST];
        if (isConnection(field.type)) convention.sizedFields = ['edges'];
      }
      cost = { ...convention, ...this.directives.fields[key], ...this.settings.fields[key] };
      this.fieldCosts.set(key, cost);
    }
    return cost;
  }

  private listSize(cost: FieldCost, node: FieldNode, field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>): number {
    let largest: number | null = null;
    for (const name of cost.slicingArguments ?? []) {
      const given = node.arguments?.find((a) => a.name.value === name);
      const sent: unknown = given ? valueFromASTUntyped(given.value, variables) : undefined;
      // An argument not given, or given as a variable with no value, takes its default.
      const value = sent === undefined ? field.args.find((a) => a.name === name)?.defaultValue : sent;
      if (typeof value === 'number' && Number.isInteger(value)) largest = Math.max(largest ?? 0, value, 0);
    }
    return largest ?? cost.assumedSize ?? this.settings.defaultListSize;
  }

  private compositeType(name: string | undefined): GraphQLCompositeType | null {
    const type = name === undefined ? undefined : this.schema.getType(name);
    return type && isCompositeType(type) ? type : null;
  }
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(getNullableType(type));
}

/** A single object with a list field `edges`: a Relay-style connection. */
function isConnection(type: GraphQLOutputType): boolean {
  const nullable = getNullableType(type);
  if (!isObjectType(nullable) && !isInterfaceType(nullable)) return false;
  const edges = nullable.getFields().edges;
  return edges !== undefined && isList(edges.type);
}
