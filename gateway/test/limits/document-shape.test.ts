import { describe, expect, it } from '@jest/globals';
import { parse, type OperationDefinitionNode } from 'graphql';
import { countTokens, fragmentsOf, measureOperation } from '../../src/limits/document-shape';

function shapeOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  if (!operation) throw new Error('no operation');
  return measureOperation(operation, fragmentsOf(document));
}

describe('operation shape', () => {
  it('measures depth through fragments and inline fragments, leaving introspection out', () => {
    expect(shapeOf('{ a }').depth).toBe(1);
    expect(shapeOf('{ a { b { c } } d }').depth).toBe(3);
    expect(shapeOf('{ a { ...F } } fragment F on A { b { ... on B { c { d } } } }').depth).toBe(4);
    expect(shapeOf('{ __schema { types { fields { type { ofType { name } } } } } a }')).toMatchObject({ depth: 1, introspection: true });
    expect(shapeOf('{ __typename a { __typename } }')).toMatchObject({ depth: 2, introspection: false });
  });

  it('counts aliases and directives once per spread, as they run per spread', () => {
    const query = `query Q @a { x: a { ...F } y: b { ...F } }
      fragment F on T @b { one: c @include(if: true) two: d }`;
    // x, y, and 2 per spread; directives: @a, @include and @b per spread.
    expect(shapeOf(query)).toMatchObject({ aliases: 2 + 2 * 2, directives: 1 + 2 * 2 });
  });

  it('counts directives on variables and spreads', () => {
    expect(shapeOf('query ($v: Int @x) { a @skip(if: false) { ...F @include(if: true) } } fragment F on A { b }').directives).toBe(3);
  });
});

describe('token count', () => {
  it('counts as the parser does for maxTokens: comments and commas are free', () => {
    const query = '# a comment\n{ a(x: 1, y: "s") { b } }';
    const tokens = countTokens(query, 1_000);
    expect(tokens).toBe(14);
    expect(() => parse(query, { maxTokens: tokens })).not.toThrow();
    expect(() => parse(query, { maxTokens: tokens - 1 })).toThrow(/more tha[nt] 13 tokens/);
  });

  it('stops counting just past the limit', () => {
    expect(countTokens(`{ ${'a '.repeat(10_000)}}`, 50)).toBe(51);
  });
});
