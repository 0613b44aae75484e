/**
 * Checks a composed API schema against the schema block of CONTRACT.md: every type, field,
 * argument and enum value written there must still exist with the same type. The project may add
 * types, fields, optional arguments and enum values; it may not rename, remove or reshape.
 */
import {
  astFromValue,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isUnionType,
  print,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/** One way the composed schema departs from the contract. */
export interface ContractViolation {
  /** Schema coordinate of the contract element, e.g. `Order.total` or `Query.orders(first:)`. */
  coordinate: string;
  /** missing: no element of that name (or the root type is missing); changed: it exists with another shape. */
  kind: 'missing' | 'changed';
  message: string;
}

/**
 * The text of the first ```graphql fenced block of a Markdown document (CONTRACT.md has exactly
 * one: "Schema (composed view)"), byte for byte, so a committed copy can be compared with it.
 */
export function extractGraphqlBlock(markdown: string): string {
  const match = /^```graphql[ \t]*\r?\n([\s\S]*?)^```/m.exec(markdown);
  if (!match?.[1]) throw new Error('no ```graphql block found');
  return match[1];
}

/** Every contract element missing from `api` or present with another shape; empty when the contract holds. */
export function checkContract(contractSdl: string, api: GraphQLSchema): ContractViolation[] {
  const contract = buildSchema(contractSdl);
  const violations: ContractViolation[] = [];
  const violation: Violation = (coordinate, message, kind = 'changed') => violations.push({ coordinate, kind, message });
  const roots: [string, (schema: GraphQLSchema) => GraphQLObjectType | null | undefined][] = [
    ['query', (s) => s.getQueryType()],
    ['mutation', (s) => s.getMutationType()],
    ['subscription', (s) => s.getSubscriptionType()],
  ];
  for (const [operation, rootOf] of roots) {
    const expected = rootOf(contract)?.name;
    const actual = rootOf(api)?.name;
    if (expected && expected !== actual) {
      violation(expected, `the ${operation} root type is ${actual ?? 'missing'}, not ${expected}`, actual ? 'changed' : 'missing');
    }
  }
  for (const [name, expected] of Object.entries(contract.getTypeMap())) {
    if (name.startsWith('__')) continue;
    const actual = api.getType(name);
    if (!actual) violation(name, `type ${name} is missing (renamed or removed)`, 'missing');
    else checkType(expected, actual, violation);
  }
  return violations;
}

type Violation = (coordinate: string, message: string, kind?: ContractViolation['kind']) => void;

function checkType(expected: GraphQLNamedType, actual: GraphQLNamedType, violation: Violation): void {
  const name = expected.name;
  if (isObjectType(expected) || isInterfaceType(expected)) {
    if (!(isObjectType(actual) || isInterfaceType(actual)) || isObjectType(expected) !== isObjectType(actual)) {
      violation(name, `${name} must be ${isObjectType(expected) ? 'an object type' : 'an interface'}`);
      return;
    }
    const actualInterfaces = actual.getInterfaces().map((i) => i.name);
    for (const iface of expected.getInterfaces()) {
      if (!actualInterfaces.includes(iface.name)) violation(name, `${name} no longer implements ${iface.name}`);
    }
    for (const field of Object.values(expected.getFields())) {
      const coordinate = `${name}.${field.name}`;
      const found = actual.getFields()[field.name];
      if (!found) violation(coordinate, `field ${coordinate}: ${String(field.type)} is missing (renamed or removed)`, 'missing');
      else {
        sameType(coordinate, String(field.type), String(found.type), violation);
        checkArguments(coordinate, field.args, found.args, violation);
      }
    }
  } else if (isInputObjectType(expected)) {
    if (!isInputObjectType(actual)) return violation(name, `${name} must be an input type`);
    checkInputValues(name, Object.values(expected.getFields()), Object.values(actual.getFields()), violation);
  } else if (isEnumType(expected)) {
    if (!isEnumType(actual)) return violation(name, `${name} must be an enum`);
    for (const value of expected.getValues()) {
      if (!actual.getValue(value.name)) violation(`${name}.${value.name}`, `enum value ${name}.${value.name} is missing`, 'missing');
    }
  } else if (isUnionType(expected)) {
    if (!isUnionType(actual)) return violation(name, `${name} must be a union`);
    const members = actual.getTypes().map((t) => t.name);
    for (const member of expected.getTypes()) {
      if (!members.includes(member.name)) violation(name, `union ${name} no longer contains ${member.name}`);
    }
  } else if (isObjectType(actual) || isInterfaceType(actual) || isInputObjectType(actual) || isEnumType(actual) || isUnionType(actual)) {
    violation(name, `${name} must be a scalar`);
  }
}

function checkArguments(owner: string, expected: readonly GraphQLArgument[], actual: readonly GraphQLArgument[], violation: Violation): void {
  checkInputValues(owner, expected, actual, violation, (name) => `${owner}(${name}:)`);
}

/**
 * Arguments and input fields: each contract one keeps its type and default; a new one must be
 * optional, or every client operation written against the contract would be rejected.
 */
function checkInputValues(
  owner: string,
  expected: readonly (GraphQLArgument | GraphQLInputField)[],
  actual: readonly (GraphQLArgument | GraphQLInputField)[],
  violation: Violation,
  coordinateOf: (name: string) => string = (name) => `${owner}.${name}`,
): void {
  for (const value of expected) {
    const coordinate = coordinateOf(value.name);
    const found = actual.find((a) => a.name === value.name);
    if (!found) {
      violation(coordinate, `${coordinate}: ${String(value.type)} is missing (renamed or removed)`, 'missing');
      continue;
    }
    sameType(coordinate, String(value.type), String(found.type), violation);
    const [before, after] = [printDefault(value), printDefault(found)];
    if (before !== after) violation(coordinate, `${coordinate} has default ${after}, the contract says ${before}`);
  }
  for (const value of actual) {
    if (expected.some((e) => e.name === value.name)) continue;
    if (isNonNullType(value.type) && value.defaultValue === undefined) {
      violation(coordinateOf(value.name), `${coordinateOf(value.name)}: ${String(value.type)} is new and required`);
    }
  }
}

function sameType(coordinate: string, expected: string, actual: string, violation: Violation): void {
  if (expected !== actual) violation(coordinate, `${coordinate} has type ${actual}, the contract says ${expected}`);
}

function printDefault(value: GraphQLArgument | GraphQLInputField): string {
  if (value.defaultValue === undefined) return '(none)';
  const ast = astFromValue(value.defaultValue, value.type);
  return ast ? print(ast) : '(none)';
}
