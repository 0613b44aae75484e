import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects a field named `name` among its own children, also
 * through inline fragments and named fragments. A resolver uses it to start a backend read its
 * children will need next to its own, instead of after it. `@skip` and `@include` are not
 * evaluated: a field they leave out still counts, which costs a read nobody uses, never an answer.
 */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, name: string): boolean {
  const visited = new Set<string>();
  const inSet = (selectionSet: SelectionSetNode | undefined): boolean =>
    selectionSet?.selections.some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.name.value === name;
        case Kind.INLINE_FRAGMENT:
          return inSet(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = selection.name.value;
          if (visited.has(fragment)) return false;
          visited.add(fragment);
          return inSet(info.fragments[fragment]?.selectionSet);
        }
      }
    }) ?? false;
  return info.fieldNodes.some((node) => inSet(node.selectionSet));
}
