import {
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { unmetParts, type Access } from './access';
import type { ForbiddenField, ForbiddenLevel, NestedField } from './forbidden-fields';
import type { Requirement, SchemaRequirements } from './requirements';

/** An operation with the fields the token may not see taken out, and where they were. */
export interface OperationReduction {
  /** The one operation to execute instead, with every fragment inlined. */
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly forbidden: ForbiddenLevel;
}

interface SelectionPart {
  selectionSet: SelectionSetNode;
  parentType: GraphQLCompositeType;
}

interface Occurrence {
  field: FieldNode;
  parentType: GraphQLCompositeType;
  definition: GraphQLField<unknown, unknown>;
}

/**
 * Takes out of an operation every field selection the access does not cover. A field's
 * requirement is its own (`@requiresScopes`/`@authenticated` on the field) and that of the type
 * it returns; on an abstract type, those of every possible type too, so no fragment can reach
 * past it. A root type's requirement applies to all its fields. Everything else (fragments,
 * aliases, `@skip`/`@include`) is kept as the client wrote it.
 *
 * A forbidden field is not dropped but replaced by a marker, `key: __typename` with the field's
 * own `@skip`/`@include`: the selection set never becomes empty, no subgraph is asked for the
 * field, and the marker shows up in the result exactly where the field would have (right parent
 * type, conditions as evaluated with the request's variables), which is where its null and
 * FORBIDDEN error go. When one response key is selected more than once at a level (fragments)
 * and any occurrence is forbidden, all of them are, so the document stays valid (fields merge).
 *
 * Returns null when nothing is forbidden (execute the request's own document) or when there is
 * no such operation (execution reports that).
 */
export function reduceOperation(
  schema: GraphQLSchema,
  requirements: SchemaRequirements,
  document: DocumentNode,
  operationName: string | null | undefined,
  access: Access,
): OperationReduction | null {
  const operation = getOperationAST(document, operationName);
  const rootType = operation ? schema.getRootType(operation.operation) : null;
  if (!operation || !rootType) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // Inlined, every selection is a node of its own, so the same named fragment can be reduced
  // differently where it is spread under different parents.
  const inlined: OperationDefinitionNode = { ...operation, selectionSet: inlineFragments(operation.selectionSet, fragments, []) };
  const reducer = new Reducer(schema, requirements, access);
  const rootUnmet = unmetParts(requirements.type(rootType.name), access);
  const forbidden = reducer.level([{ selectionSet: inlined.selectionSet, parentType: rootType }], rootUnmet);
  if (!forbidden) return null;
  const reduced = withoutUnusedVariables(visit(inlined, { Field: (node) => reducer.markers.get(node) }));
  return { document: { kind: Kind.DOCUMENT, definitions: [reduced] }, operation: reduced, forbidden };
}

/** Markers take no arguments, so variables only forbidden fields used go too: the document stays valid GraphQL. */
function withoutUnusedVariables(operation: OperationDefinitionNode): OperationDefinitionNode {
  const used = new Set<string>();
  visit(operation.selectionSet, { Variable: (node) => void used.add(node.name.value) });
  const variableDefinitions = operation.variableDefinitions?.filter((v) => used.has(v.variable.name.value));
  return variableDefinitions?.length === operation.variableDefinitions?.length ? operation : { ...operation, variableDefinitions };
}

class Reducer {
  readonly markers = new Map<FieldNode, FieldNode>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly requirements: SchemaRequirements,
    private readonly access: Access,
  ) {}

  /** Decides one level of the response (all parts merge into it) and recurses into what stays. */
  level(parts: readonly SelectionPart[], inheritedUnmet: readonly string[]): ForbiddenLevel | null {
    const byKey = new Map<string, Occurrence[]>();
    for (const part of parts) this.collect(part.selectionSet, part.parentType, byKey);
    const forbidden = new Map<string, ForbiddenField>();
    const nested = new Map<string, NestedField>();
    for (const [key, occurrences] of byKey) {
      const first = occurrences[0];
      if (!first) continue;
      const denial = occurrences.map((o) => this.denial(o, inheritedUnmet)).find((d) => d !== null);
      if (denial) {
        for (const o of occurrences) this.markers.set(o.field, marker(o.field, key));
        forbidden.set(key, { nullable: !isNonNullType(first.definition.type), message: denial });
        continue;
      }
      const children: SelectionPart[] = [];
      for (const o of occurrences) {
        const returned = getNamedType(o.definition.type);
        if (o.field.selectionSet && isCompositeType(returned)) children.push({ selectionSet: o.field.selectionSet, parentType: returned });
      }
      const level = children.length > 0 ? this.level(children, []) : null;
      if (level) nested.set(key, { ...responseShape(first.definition.type), level });
    }
    return forbidden.size > 0 || nested.size > 0 ? { forbidden, nested } : null;
  }

  private collect(selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, into: Map<string, Occurrence[]>): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = fieldDefinition(parentType, selection.name.value);
        // __typename and introspection have no requirements; a field the schema lacks cannot
        // pass validation, so it never gets here.
        if (!definition) continue;
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), { field: selection, parentType, definition }]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        // A type condition's own requirement needs no check here: the field that returned this
        // object already required it, for every type the object could be.
        const condition = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parentType;
        if (isCompositeType(condition)) this.collect(selection.selectionSet, condition, into);
      }
    }
  }

  /** Why the access may not select this field, or null when it may. */
  private denial({ field, parentType, definition }: Occurrence, inheritedUnmet: readonly string[]): string | null {
    const name = field.name.value;
    const unmet = [...inheritedUnmet, ...this.unmet(this.requirements.field(parentType.name, name))];
    if (isAbstractType(parentType)) {
      for (const type of this.schema.getPossibleTypes(parentType)) unmet.push(...this.unmet(this.requirements.field(type.name, name)));
    }
    const returned = getNamedType(definition.type);
    unmet.push(...this.unmet(this.requirements.type(returned.name)));
    if (isAbstractType(returned)) {
      for (const type of this.schema.getPossibleTypes(returned)) unmet.push(...this.unmet(this.requirements.type(type.name)));
    }
    return unmet.length === 0 ? null : `Forbidden: ${parentType.name}.${name} needs ${[...new Set(unmet)].join(' and ')}`;
  }

  private unmet(requirement: Requirement | undefined): string[] {
    return unmetParts(requirement, this.access);
  }
}

function fieldDefinition(parentType: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name.startsWith('__')) return undefined;
  return isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
}

/** Stands in for a forbidden field: same response key and conditions, nothing fetched. */
function marker(field: FieldNode, key: string): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: key },
    name: { kind: Kind.NAME, value: '__typename' },
    arguments: [],
    directives: (field.directives ?? []).filter((d) => d.name.value === 'skip' || d.name.value === 'include'),
    loc: field.loc,
  };
}

function responseShape(type: GraphQLOutputType): { nullable: boolean; itemsNullable: boolean[] } {
  const itemsNullable: boolean[] = [];
  let current = isNonNullType(type) ? type.ofType : type;
  while (isListType(current)) {
    const item: GraphQLOutputType = current.ofType;
    itemsNullable.push(!isNonNullType(item));
    current = isNonNullType(item) ? item.ofType : item;
  }
  return { nullable: !isNonNullType(type), itemsNullable };
}

/** Replaces every fragment spread by an inline fragment with its own copy of the fragment's selections. */
function inlineFragments(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, spreading: readonly string[]): SelectionSetNode {
  const selections = selectionSet.selections.map((selection): SelectionNode => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.selectionSet ? { ...selection, selectionSet: inlineFragments(selection.selectionSet, fragments, spreading) } : { ...selection };
      case Kind.INLINE_FRAGMENT:
        return { ...selection, selectionSet: inlineFragments(selection.selectionSet, fragments, spreading) };
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation rejects both before execution; this keeps a bad document from looping here.
        if (!fragment || spreading.includes(name)) throw new Error(`fragment ${name} is unknown or spreads itself`);
        return {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: fragment.typeCondition,
          directives: selection.directives ?? [],
          selectionSet: inlineFragments(fragment.selectionSet, fragments, [...spreading, name]),
          loc: selection.loc,
        };
      }
    }
  });
  return { ...selectionSet, selections };
}
