import { GraphQLError } from 'graphql';

/**
 * Where the forbidden fields of one operation sit, by response key, level by level from the root.
 * Only branches that lead to a forbidden field are kept, so applying it walks no more of a
 * response than it must.
 */
export interface ForbiddenLevel {
  /** Response keys at this level that the token may not see. */
  readonly forbidden: ReadonlyMap<string, ForbiddenField>;
  /** Response keys at this level under which forbidden fields sit. */
  readonly nested: ReadonlyMap<string, NestedField>;
}

export interface ForbiddenField {
  /** False for a non-null field: its null takes the nearest nullable parent with it. */
  readonly nullable: boolean;
  readonly message: string;
}

export interface NestedField {
  readonly nullable: boolean;
  /** For a list field, whether its items may be null, outermost list first. */
  readonly itemsNullable: readonly boolean[];
  readonly level: ForbiddenLevel;
}

/** The code of every error a forbidden field gets (CONTRACT.md, Auth). */
export const FORBIDDEN = 'FORBIDDEN';

type ResponsePath = readonly (string | number)[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Puts null and a FORBIDDEN error at every forbidden field present in `data` (one error per list
 * item), then nulls upwards as GraphQL does for a null in a non-null position. A forbidden field
 * is present exactly where the reduced operation kept its marker: under the parent types and
 * `@skip`/`@include` conditions the client asked for. Changes `data` in place; returns what
 * remains of it (null when the null reached the root) and the errors.
 */
export function applyForbiddenFields(
  data: Record<string, unknown> | null | undefined,
  root: ForbiddenLevel,
): { data: Record<string, unknown> | null | undefined; errors: GraphQLError[] } {
  const errors: GraphQLError[] = [];
  if (!isObject(data)) return { data, errors };
  return { data: visitObject(data, root, [], errors) ? null : data, errors };
}

/** Returns true when the object itself must become null. */
function visitObject(object: Record<string, unknown>, level: ForbiddenLevel, path: ResponsePath, errors: GraphQLError[]): boolean {
  let nullParent = false;
  for (const [key, field] of level.forbidden) {
    if (!(key in object)) continue;
    object[key] = null;
    errors.push(new GraphQLError(field.message, { path: [...path, key], extensions: { code: FORBIDDEN } }));
    if (!field.nullable) nullParent = true;
  }
  // Keep walking a parent that is about to be nulled: every forbidden field the client asked for
  // gets its error, as every failed field does in GraphQL execution.
  for (const [key, nested] of level.nested) {
    const value = object[key];
    if (value === null || value === undefined) continue;
    if (visitValue(value, nested, 0, [...path, key], errors)) {
      if (nested.nullable) object[key] = null;
      else nullParent = true;
    }
  }
  return nullParent;
}

function visitValue(value: unknown, nested: NestedField, depth: number, path: ResponsePath, errors: GraphQLError[]): boolean {
  if (Array.isArray(value)) {
    const itemsNullable = nested.itemsNullable[depth] ?? true;
    let nullList = false;
    value.forEach((item: unknown, index) => {
      if (item === null || !visitValue(item, nested, depth + 1, [...path, index], errors)) return;
      if (itemsNullable) value[index] = null;
      else nullList = true;
    });
    return nullList;
  }
  return isObject(value) ? visitObject(value, nested.level, path, errors) : false;
}
