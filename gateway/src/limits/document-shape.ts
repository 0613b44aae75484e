import {
  Kind,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** What the structural limits look at in one operation, fragments expanded. */
export interface OperationShape {
  /** Deepest field nesting; `{ a { b } }` is 2. Introspection (`__schema`, `__type`) subtrees don't count. */
  depth: number;
  /** Aliased fields, each fragment counted as often as it is spread. */
  aliases: number;
  /** Directive uses, on the operation, its fields, fragments and spreads. */
  directives: number;
  /** Selects `__schema` or `__type` somewhere (`__typename` is not introspection). */
  introspection: boolean;
}

const NOTHING: OperationShape = { depth: 0, aliases: 0, directives: 0, introspection: false };

/**
 * Measures an operation. Each fragment is measured once and reused wherever it is spread (its
 * shape does not depend on where), so a fragment spread many times costs nothing extra to
 * measure, while its aliases and directives still count per spread, as they execute per spread.
 */
export function measureOperation(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): OperationShape {
  const measured = new Map<string, OperationShape>();
  const measureFragment = (name: string): OperationShape => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Validation refuses cycles and unknown fragments; the placeholder keeps a bad document finite anyway.
    measured.set(name, NOTHING);
    const shape = fragment ? add(measureSet(fragment.selectionSet), directivesOnly(fragment.directives?.length ?? 0)) : NOTHING;
    measured.set(name, shape);
    return shape;
  };
  const measureSet = (set: SelectionSetNode): OperationShape => {
    let shape = NOTHING;
    for (const selection of set.selections) {
      const own = selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        const child = selection.selectionSet ? measureSet(selection.selectionSet) : NOTHING;
        const introspection = selection.name.value === '__schema' || selection.name.value === '__type';
        shape = add(shape, {
          depth: introspection ? 0 : 1 + child.depth,
          aliases: child.aliases + (selection.alias ? 1 : 0),
          directives: child.directives + own,
          introspection: introspection || child.introspection,
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        shape = add(shape, add(measureSet(selection.selectionSet), directivesOnly(own)));
      } else {
        shape = add(shape, add(measureFragment(selection.name.value), directivesOnly(own)));
      }
    }
    return shape;
  };
  const variableDirectives = operation.variableDefinitions?.reduce((n, v) => n + (v.directives?.length ?? 0), 0) ?? 0;
  return add(measureSet(operation.selectionSet), directivesOnly((operation.directives?.length ?? 0) + variableDirectives));
}

/** Siblings: the deeper one sets the depth, counts add up. */
function add(a: OperationShape, b: OperationShape): OperationShape {
  return {
    depth: Math.max(a.depth, b.depth),
    aliases: a.aliases + b.aliases,
    directives: a.directives + b.directives,
    introspection: a.introspection || b.introspection,
  };
}

function directivesOnly(directives: number): OperationShape {
  return { ...NOTHING, directives };
}

/** The fragments of a document by name. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Lexer tokens of a document as graphql-js' parser counts them for its `maxTokens` option
 * (comments are skipped); stops counting at `stopAfter + 1`, enough to know it is too many.
 */
export function countTokens(source: string, stopAfter: number): number {
  const lexer = new Lexer(new Source(source));
  let tokens = 0;
  while (tokens <= stopAfter && lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  return tokens;
}
