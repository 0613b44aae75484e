import { Kind, parse, type DirectiveNode, type ValueNode } from 'graphql';
import type { FieldCost } from './limits-policy';

/** `@cost` / `@listSize` settings found in an SDL, keyed as the limits file keys them. */
export interface CostDirectives {
  /** By `Type.field`. */
  fields: Record<string, FieldCost>;
  /** By type name. */
  types: Record<string, number>;
}

/**
 * Reads the demand-control directives from a (super)graph SDL: `@cost(weight:)` on types and
 * fields, `@listSize(assumedSize:, slicingArguments:, sizedFields:)` on fields, as Federation 2.9
 * composes them into the supergraph (https://specs.apollo.dev/cost/v0.1). Weights may be Int or,
 * as the IBM cost spec writes them, numeric strings. Directives imported under another name are
 * not recognised; the limits file can say the same per field.
 */
export function costDirectivesFromSdl(sdl: string): CostDirectives {
  const found: CostDirectives = { fields: {}, types: {} };
  for (const definition of parse(sdl).definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) {
          const cost = fieldCost(field.directives);
          if (cost) found.fields[`${definition.name.value}.${field.name.value}`] = cost;
        }
        typeWeight(found, definition.name.value, definition.directives);
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_DEFINITION:
        typeWeight(found, definition.name.value, definition.directives);
        break;
      default:
        break;
    }
  }
  return found;
}

function typeWeight(found: CostDirectives, typeName: string, directives: readonly DirectiveNode[] | undefined): void {
  const weight = numberArgument(directive(directives, 'cost'), 'weight');
  if (weight !== undefined) found.types[typeName] = weight;
}

function fieldCost(directives: readonly DirectiveNode[] | undefined): FieldCost | null {
  const cost: FieldCost = {};
  const weight = numberArgument(directive(directives, 'cost'), 'weight');
  if (weight !== undefined) cost.weight = weight;
  const listSize = directive(directives, 'listSize');
  const assumedSize = numberArgument(listSize, 'assumedSize');
  if (assumedSize !== undefined) cost.assumedSize = assumedSize;
  const slicingArguments = stringsArgument(listSize, 'slicingArguments');
  if (slicingArguments) cost.slicingArguments = slicingArguments;
  const sizedFields = stringsArgument(listSize, 'sizedFields');
  if (sizedFields) cost.sizedFields = sizedFields;
  return Object.keys(cost).length > 0 ? cost : null;
}

function directive(directives: readonly DirectiveNode[] | undefined, name: string): DirectiveNode | undefined {
  return directives?.find((d) => d.name.value === name);
}

function argument(node: DirectiveNode | undefined, name: string): ValueNode | undefined {
  return node?.arguments?.find((a) => a.name.value === name)?.value;
}

function numberArgument(node: DirectiveNode | undefined, name: string): number | undefined {
  const value = argument(node, name);
  if (value?.kind !== Kind.INT && value?.kind !== Kind.FLOAT && value?.kind !== Kind.STRING) return undefined;
  const n = Number(value.value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function stringsArgument(node: DirectiveNode | undefined, name: string): string[] | undefined {
  const value = argument(node, name);
  if (value?.kind !== Kind.LIST) return undefined;
  return value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
}
