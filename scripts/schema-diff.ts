/**
 * Compares two client-facing schemas and classifies every difference the way graphql-js's
 * findBreakingChanges / findDangerousChanges do, but with a schema coordinate per change (so a
 * removal can be matched against its `@deprecated` in the old schema) and with the safe changes
 * listed too, for a reviewer to read.
 */
import {
  astFromValue,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNamedType,
  isNonNullType,
  isObjectType,
  isRequiredArgument,
  isRequiredInputField,
  isScalarType,
  isUnionType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

/** breaking: some valid client operation stops working; dangerous: it may behave differently; safe: neither. */
export type ChangeSeverity = 'breaking' | 'dangerous' | 'safe';

/** One difference between the old and the new schema. */
export interface SchemaChange {
  severity: ChangeSeverity;
  /** Schema coordinate of the changed element: `Order`, `Order.total`, `Query.order(id:)`, `OrderStatus.SHIPPED`, `@skip`. */
  coordinate: string;
  message: string;
  /**
   * A breaking removal of something that was already `@deprecated` in the old schema (for a
   * type: every field, argument and input field of that type was): clients had their warning,
   * so the removal is allowed.
   */
  deprecatedFirst: boolean;
}

type Emit = (severity: ChangeSeverity, coordinate: string, message: string, deprecatedFirst?: boolean) => void;

/** Every change from `oldSchema` to `newSchema`, breaking first, then dangerous, then safe. */
export function diffSchemas(oldSchema: GraphQLSchema, newSchema: GraphQLSchema): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const emit: Emit = (severity, coordinate, message, deprecatedFirst = false) =>
    changes.push({ severity, coordinate, message, deprecatedFirst });
  const oldTypes = namedTypes(oldSchema);
  const newTypes = namedTypes(newSchema);
  for (const [name, oldType] of oldTypes) {
    const newType = newTypes.get(name);
    if (!newType) {
      emit('breaking', name, `${kindOf(oldType)} ${name} was removed`, onlyDeprecatedReferences(oldSchema, name));
    } else if (kindOf(oldType) !== kindOf(newType)) {
      emit('breaking', name, `${name} changed from ${kindOf(oldType)} to ${kindOf(newType)}`);
    } else {
      diffType(oldType, newType, emit);
    }
  }
  for (const [name, newType] of newTypes) {
    if (!oldTypes.has(name)) emit('safe', name, `${kindOf(newType)} ${name} was added`);
  }
  diffDirectives(oldSchema, newSchema, emit);
  const order: Record<ChangeSeverity, number> = { breaking: 0, dangerous: 1, safe: 2 };
  return changes.sort((a, b) => order[a.severity] - order[b.severity] || a.coordinate.localeCompare(b.coordinate));
}

function namedTypes(schema: GraphQLSchema): Map<string, GraphQLNamedType> {
  return new Map(Object.entries(schema.getTypeMap()).filter(([name]) => !name.startsWith('__')));
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object type';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  if (isEnumType(type)) return 'enum';
  if (isInputObjectType(type)) return 'input type';
  return 'scalar';
}

function diffType(oldType: GraphQLNamedType, newType: GraphQLNamedType, emit: Emit): void {
  if (isEnumType(oldType) && isEnumType(newType)) {
    const newValues = new Map(newType.getValues().map((v) => [v.name, v]));
    for (const value of oldType.getValues()) {
      const coordinate = `${oldType.name}.${value.name}`;
      const next = newValues.get(value.name);
      if (!next) emit('breaking', coordinate, `enum value ${coordinate} was removed`, isDeprecated(value));
      else deprecation(coordinate, value.deprecationReason, next.deprecationReason, emit);
    }
    const oldNames = new Set(oldType.getValues().map((v) => v.name));
    for (const value of newType.getValues()) {
      if (!oldNames.has(value.name)) {
        emit('dangerous', `${newType.name}.${value.name}`, `enum value ${newType.name}.${value.name} was added: clients may not handle it`);
      }
    }
  } else if (isUnionType(oldType) && isUnionType(newType)) {
    diffNames(oldType.name, oldType.getTypes().map((t) => t.name), newType.getTypes().map((t) => t.name), 'member', emit);
  } else if ((isObjectType(oldType) || isInterfaceType(oldType)) && (isObjectType(newType) || isInterfaceType(newType))) {
    diffNames(oldType.name, oldType.getInterfaces().map((t) => t.name), newType.getInterfaces().map((t) => t.name), 'interface', emit);
    diffFields(oldType.name, oldType.getFields(), newType.getFields(), emit);
  } else if (isInputObjectType(oldType) && isInputObjectType(newType)) {
    diffInputFields(oldType.name, oldType.getFields(), newType.getFields(), emit);
  } else if (isScalarType(oldType) && isScalarType(newType) && oldType.specifiedByURL !== newType.specifiedByURL) {
    emit('dangerous', oldType.name, `scalar ${oldType.name} changed its @specifiedBy URL`);
  }
}

/** Union members and implemented interfaces: removing one breaks fragments on it, adding one may surprise clients. */
function diffNames(typeName: string, oldNames: string[], newNames: string[], what: string, emit: Emit): void {
  for (const name of oldNames) {
    if (!newNames.includes(name)) emit('breaking', typeName, `${what} ${name} was removed from ${typeName}`);
  }
  for (const name of newNames) {
    if (!oldNames.includes(name)) emit('dangerous', typeName, `${what} ${name} was added to ${typeName}`);
  }
}

type Fields = Record<string, GraphQLField<unknown, unknown>>;

function diffFields(typeName: string, oldFields: Fields, newFields: Fields, emit: Emit): void {
  for (const oldField of Object.values(oldFields)) {
    const coordinate = `${typeName}.${oldField.name}`;
    const newField = newFields[oldField.name];
    if (!newField) {
      emit('breaking', coordinate, `field ${coordinate} was removed`, isDeprecated(oldField));
      continue;
    }
    if (!isSafeOutputChange(oldField.type, newField.type)) {
      emit('breaking', coordinate, `field ${coordinate} changed type from ${String(oldField.type)} to ${String(newField.type)}`);
    } else if (String(oldField.type) !== String(newField.type)) {
      emit('safe', coordinate, `field ${coordinate} changed type from ${String(oldField.type)} to ${String(newField.type)}`);
    }
    deprecation(coordinate, oldField.deprecationReason, newField.deprecationReason, emit);
    diffArguments(coordinate, oldField.args, newField.args, emit);
  }
  for (const newField of Object.values(newFields)) {
    if (!oldFields[newField.name]) emit('safe', `${typeName}.${newField.name}`, `field ${typeName}.${newField.name} was added`);
  }
}

function diffArguments(owner: string, oldArgs: readonly GraphQLArgument[], newArgs: readonly GraphQLArgument[], emit: Emit): void {
  for (const oldArg of oldArgs) {
    const coordinate = `${owner}(${oldArg.name}:)`;
    const newArg = newArgs.find((a) => a.name === oldArg.name);
    if (!newArg) {
      emit('breaking', coordinate, `argument ${coordinate} was removed`, isDeprecated(oldArg));
      continue;
    }
    diffInputValue(coordinate, 'argument', oldArg, newArg, emit);
  }
  for (const newArg of newArgs) {
    if (oldArgs.some((a) => a.name === newArg.name)) continue;
    const coordinate = `${owner}(${newArg.name}:)`;
    if (isRequiredArgument(newArg)) emit('breaking', coordinate, `required argument ${coordinate} was added`);
    else emit('dangerous', coordinate, `optional argument ${coordinate} was added`);
  }
}

type InputFields = Record<string, GraphQLInputField>;

function diffInputFields(typeName: string, oldFields: InputFields, newFields: InputFields, emit: Emit): void {
  for (const oldField of Object.values(oldFields)) {
    const coordinate = `${typeName}.${oldField.name}`;
    const newField = newFields[oldField.name];
    if (!newField) emit('breaking', coordinate, `input field ${coordinate} was removed`, isDeprecated(oldField));
    else diffInputValue(coordinate, 'input field', oldField, newField, emit);
  }
  for (const newField of Object.values(newFields)) {
    if (oldFields[newField.name]) continue;
    const coordinate = `${typeName}.${newField.name}`;
    if (isRequiredInputField(newField)) emit('breaking', coordinate, `required input field ${coordinate} was added`);
    else emit('dangerous', coordinate, `optional input field ${coordinate} was added`);
  }
}

interface InputValue {
  type: GraphQLInputType;
  defaultValue: unknown;
  deprecationReason?: string | null | undefined;
}

function diffInputValue(coordinate: string, what: string, oldValue: InputValue, newValue: InputValue, emit: Emit): void {
  const change = `${what} ${coordinate} changed type from ${String(oldValue.type)} to ${String(newValue.type)}`;
  if (!isSafeInputChange(oldValue.type, newValue.type)) emit('breaking', coordinate, change);
  else if (String(oldValue.type) !== String(newValue.type)) emit('safe', coordinate, change);
  const oldDefault = printDefault(oldValue);
  const newDefault = printDefault(newValue);
  if (oldDefault !== newDefault) {
    emit('dangerous', coordinate, `${what} ${coordinate} changed its default from ${oldDefault} to ${newDefault}`);
  }
  deprecation(coordinate, oldValue.deprecationReason, newValue.deprecationReason, emit);
}

function printDefault(value: InputValue): string {
  if (value.defaultValue === undefined) return '(none)';
  const ast = astFromValue(value.defaultValue, value.type);
  return ast ? print(ast) : '(none)';
}

function deprecation(coordinate: string, oldReason: string | null | undefined, newReason: string | null | undefined, emit: Emit): void {
  const [was, is] = [typeof oldReason === 'string', typeof newReason === 'string'];
  if (!was && is) emit('safe', coordinate, `${coordinate} was deprecated: ${newReason}`);
  if (was && !is) emit('safe', coordinate, `${coordinate} is no longer deprecated`);
}

function diffDirectives(oldSchema: GraphQLSchema, newSchema: GraphQLSchema, emit: Emit): void {
  for (const oldDirective of oldSchema.getDirectives()) {
    const coordinate = `@${oldDirective.name}`;
    const newDirective = newSchema.getDirective(oldDirective.name);
    if (!newDirective) {
      emit('breaking', coordinate, `directive ${coordinate} was removed`);
      continue;
    }
    for (const location of oldDirective.locations) {
      if (!newDirective.locations.includes(location)) emit('breaking', coordinate, `directive ${coordinate} no longer allowed on ${location}`);
    }
    diffArguments(coordinate, oldDirective.args, newDirective.args, emit);
  }
  for (const newDirective of newSchema.getDirectives()) {
    if (!oldSchema.getDirective(newDirective.name)) emit('safe', `@${newDirective.name}`, `directive @${newDirective.name} was added`);
  }
}

/** An output type may only get stricter (nullable to non-null); anything else breaks a client's expectations. */
function isSafeOutputChange(oldType: GraphQLType, newType: GraphQLType): boolean {
  if (isListType(oldType)) {
    return (isListType(newType) && isSafeOutputChange(oldType.ofType, newType.ofType)) ||
      (isNonNullType(newType) && isSafeOutputChange(oldType, newType.ofType));
  }
  if (isNonNullType(oldType)) return isNonNullType(newType) && isSafeOutputChange(oldType.ofType, newType.ofType);
  return (isNamedType(newType) && newType.name === oldType.name) ||
    (isNonNullType(newType) && isSafeOutputChange(oldType, newType.ofType));
}

/** An input type may only get looser (non-null to nullable); anything else rejects a query that used to be valid. */
function isSafeInputChange(oldType: GraphQLType, newType: GraphQLType): boolean {
  if (isListType(oldType)) return isListType(newType) && isSafeInputChange(oldType.ofType, newType.ofType);
  if (isNonNullType(oldType)) {
    return (isNonNullType(newType) && isSafeInputChange(oldType.ofType, newType.ofType)) ||
      (!isNonNullType(newType) && isSafeInputChange(oldType.ofType, newType));
  }
  return isNamedType(newType) && newType.name === oldType.name;
}

/**
 * A type can't carry `@deprecated` itself; its removal counts as announced when everything that
 * led a client to it (fields returning it, arguments and input fields taking it) was deprecated.
 */
function onlyDeprecatedReferences(schema: GraphQLSchema, typeName: string): boolean {
  const refersTo = (type: GraphQLType): boolean => named(type) === typeName;
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (refersTo(field.type) && !isDeprecated(field)) return false;
        if (field.args.some((arg) => refersTo(arg.type) && !isDeprecated(arg))) return false;
      }
    } else if (isInputObjectType(type)) {
      if (Object.values(type.getFields()).some((f) => refersTo(f.type) && !isDeprecated(f))) return false;
    }
  }
  return true;
}

/** `@deprecated` without a reason still has one: graphql-js fills in "No longer supported". */
function isDeprecated(element: { deprecationReason?: string | null | undefined }): boolean {
  return typeof element.deprecationReason === 'string';
}

function named(type: GraphQLType): string {
  return isListType(type) || isNonNullType(type) ? named(type.ofType) : type.name;
}
