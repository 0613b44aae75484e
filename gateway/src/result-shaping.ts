/**
 * Result shaping for @apollo/gateway, the same answers for less CPU.
 *
 * After the fetches of a query plan have merged their answers into one tree, @apollo/gateway
 * walks the client's operation over it (`computeResponse`, dist/resultShaping.js): it keeps the
 * selected fields in order, completes `__typename`, applies fragments by type condition and
 * `@skip`/`@include`, checks every leaf against its type, and nulls what a non-null field cannot
 * hold, with the errors and paths of graphql-js. It was the gateway's largest single cost on
 * the unified order view: about a fifth of its CPU. Per value it re-reads the operation (the
 * selections, their directives, the field's type chain through federation-internals' re-export
 * getters) and allocates a result record.
 *
 * {@link computeResponse} below is the same algorithm, step for step, with what depends only on
 * the operation worked out once per selection set and request (response name, type chain, skip
 * and include with the request's variables, type conditions per `__typename`), the result passed
 * back in the walk's state instead of a new record per value, and output objects of one shape
 * per selection set. The differential test (gateway/test/result-shaping.test.ts) holds it to
 * Apollo's own function on random trees, including every kind of invalid answer.
 *
 * {@link useResultShaping} puts it in @apollo/gateway's place (or Apollo's back). It is written
 * against @apollo/gateway 2.14 and checks, when installed, that the module it replaces is there.
 */
import { createRequire } from 'node:module';
import {
  ERRORS,
  isCompositeType,
  isCustomScalarType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  typenameFieldName,
  Variable,
  type CompositeType,
  type Directive,
  type EnumType,
  type FieldSelection,
  type NamedType,
  type Operation,
  type OperationElement,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

/** `computeResponse`'s arguments, as @apollo/gateway passes them. */
export interface ShapingInput {
  operation: Operation;
  variables?: Record<string, unknown>;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: (introspectionSelection: FieldSelection) => unknown;
}

/** What `computeResponse` gives back: the shaped data and the errors found on the way. */
export interface ShapingResult {
  data: Record<string, unknown> | null | undefined;
  errors: GraphQLError[];
}

/** Which result shaping @apollo/gateway runs: this module's, or its own. */
export type ResultShaping = 'crossdock' | 'apollo';

/**
 * Shapes the merged subgraph answers into the client's response, exactly as @apollo/gateway's
 * `computeResponse` does (same data, key order, errors, messages and paths; same exceptions).
 */
export function computeResponse({ operation, variables, input, introspectionHandling }: ShapingInput): ShapingResult {
  if (!input) return { data: input, errors: [] };
  const schema = operation.schema();
  const state: WalkState = {
    schema,
    variables: { __proto__: null, ...operation.collectDefaultedVariableValues(), ...variables },
    errors: [],
    introspectionHandling,
    path: [],
    plans: new Map(),
    invalid: false,
    hasErrors: false,
  };
  const data = newOutputObject();
  const result = applySelectionSet(state, input, operation.selectionSet, data, schema.schemaDefinition.rootType(operation.rootKind)!);
  return { data: result === NULL_BUBBLE_UP ? null : data, errors: state.errors };
}

/**
 * Makes @apollo/gateway shape results with `shaping` from now on, in this process (it reads its
 * module's export at every call). Throws when @apollo/gateway no longer has the module it
 * replaces, so an upgrade that moved it fails at start rather than running unnoticed.
 */
export function useResultShaping(shaping: ResultShaping): void {
  const apollo = apolloShaping();
  apollo.module.computeResponse = shaping === 'crossdock' ? computeResponse : apollo.computeResponse;
}

/** The result shaping @apollo/gateway runs now. */
export function currentResultShaping(): ResultShaping {
  const apollo = apolloShaping();
  return apollo.module.computeResponse === apollo.computeResponse ? 'apollo' : 'crossdock';
}

/** Apollo's own `computeResponse`, whatever is installed now (the test and the benchmark compare with it). */
export function apolloComputeResponse(): (input: ShapingInput) => ShapingResult {
  return apolloShaping().computeResponse;
}

interface ApolloShaping {
  /** @apollo/gateway's dist/resultShaping module: executeQueryPlan calls its export. */
  module: { computeResponse: (input: ShapingInput) => ShapingResult };
  /** Its own function, as loaded. */
  computeResponse: (input: ShapingInput) => ShapingResult;
}

let apolloLoaded: ApolloShaping | undefined;

function apolloShaping(): ApolloShaping {
  if (!apolloLoaded) {
    const module = createRequire(__filename)('@apollo/gateway/dist/resultShaping') as { computeResponse?: unknown };
    if (typeof module.computeResponse !== 'function') {
      throw new Error('@apollo/gateway/dist/resultShaping has no computeResponse: result-shaping.ts was written for @apollo/gateway 2.14');
    }
    const shaping = module as ApolloShaping['module'];
    apolloLoaded = { module: shaping, computeResponse: shaping.computeResponse };
  }
  return apolloLoaded;
}

const OK = 0;
const NULL_BUBBLE_UP = 1;
type ApplyResult = typeof OK | typeof NULL_BUBBLE_UP;

/** One walk's state; `invalid` and `hasErrors` carry the last `updateOutputValue`'s flags. */
interface WalkState {
  schema: Schema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  introspectionHandling: (introspectionSelection: FieldSelection) => unknown;
  path: (string | number)[];
  plans: Map<SelectionSet, Step[]>;
  invalid: boolean;
  hasErrors: boolean;
}

/** A selection as the walk needs it; `skip` is worked out on first use, as Apollo does per use. */
type Step = FieldStep | FragmentStep;

interface FieldStep {
  field: true;
  element: OperationElement;
  skip: boolean | undefined;
  selection: FieldSelection;
  responseName: string;
  isTypename: boolean;
  isIntrospection: boolean;
  shape: Shape;
  selectionSet: SelectionSet | undefined;
}

interface FragmentStep {
  field: false;
  element: OperationElement;
  skip: boolean | undefined;
  selectionSet: SelectionSet;
  typeCondition: CompositeType | undefined;
  /** Whether the condition applies, by `__typename` (or by parent type when there is none). */
  applies: Map<string | CompositeType, boolean>;
}

const NON_NULL = 0;
const LIST = 1;
const COMPOSITE = 2;
const LEAF = 3;

/** How a leaf's value is checked: `isValidLeafValue` of federation-internals, decided once per type. */
const enum Leaf {
  Custom,
  Boolean,
  Int,
  Id,
  Float,
  Enum,
  Other,
}

/** A field's type chain, worked out once per type of the schema. */
interface Shape {
  kind: typeof NON_NULL | typeof LIST | typeof COMPOSITE | typeof LEAF;
  type: Type;
  of: Shape | undefined;
  leaf: Leaf;
}

const shapes = new WeakMap<Type, Shape>();

function shapeOf(type: Type): Shape {
  let shape = shapes.get(type);
  if (!shape) {
    if (isNonNullType(type)) shape = { kind: NON_NULL, type, of: shapeOf(type.ofType), leaf: Leaf.Other };
    else if (isListType(type)) shape = { kind: LIST, type, of: shapeOf(type.ofType), leaf: Leaf.Other };
    else if (isCompositeType(type)) shape = { kind: COMPOSITE, type, of: undefined, leaf: Leaf.Other };
    else shape = { kind: LEAF, type, of: undefined, leaf: leafKindOf(type) };
    shapes.set(type, shape);
  }
  return shape;
}

function leafKindOf(type: NamedType): Leaf {
  if (isCustomScalarType(type)) return Leaf.Custom;
  if (isEnumType(type)) return Leaf.Enum;
  const schema = type.schema();
  if (type === schema.booleanType()) return Leaf.Boolean;
  if (type === schema.intType()) return Leaf.Int;
  if (type === schema.idType()) return Leaf.Id;
  if (type === schema.floatType()) return Leaf.Float;
  return Leaf.Other;
}

const INTEGER_STRING = /^-?(?:0|[1-9][0-9]*)$/;

/** federation-internals' `isValidLeafValue`, on a kind worked out beforehand. */
function isValidLeafValue(shape: Shape, value: unknown): boolean {
  const leaf = shape.leaf;
  if (leaf === Leaf.Custom) return true;
  if (typeof value === 'boolean') return leaf === Leaf.Boolean;
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (leaf === Leaf.Int || leaf === Leaf.Id) return INTEGER_STRING.test(String(value));
    return leaf === Leaf.Float;
  }
  if (typeof value === 'string') {
    if (leaf === Leaf.Enum) return (shape.type as EnumType).value(value) !== undefined;
    return leaf !== Leaf.Boolean && leaf !== Leaf.Int && leaf !== Leaf.Float;
  }
  return false;
}

function stepsOf(state: WalkState, selectionSet: SelectionSet): Step[] {
  let steps = state.plans.get(selectionSet);
  if (!steps) {
    steps = selectionSet.selections().map((selection): Step => {
      if (selection.kind === 'FieldSelection') {
        const field = selection.element;
        return {
          field: true,
          element: field,
          skip: undefined,
          selection,
          responseName: field.responseName(),
          isTypename: field.name === typenameFieldName,
          isIntrospection: field.definition.isSchemaIntrospectionField(),
          shape: shapeOf(field.definition.type!),
          selectionSet: selection.selectionSet,
        };
      }
      return {
        field: false,
        element: selection.element,
        skip: undefined,
        selectionSet: selection.selectionSet,
        typeCondition: selection.element.typeCondition,
        applies: new Map(),
      };
    });
    state.plans.set(selectionSet, steps);
  }
  return steps;
}

function shouldSkip(state: WalkState, step: Step): boolean {
  if (step.skip === undefined) {
    const skipDirective = step.element.appliedDirectivesOf(state.schema.skipDirective())[0];
    const includeDirective = step.element.appliedDirectivesOf(state.schema.includeDirective())[0];
    step.skip = Boolean((skipDirective && ifValue(skipDirective, state.variables)) || (includeDirective && !ifValue(includeDirective, state.variables)));
  }
  return step.skip;
}

function ifValue(directive: Directive<OperationElement, { if: boolean | Variable }>, variables: Record<string, unknown>): boolean {
  const ifArg = directive.arguments().if;
  if (ifArg instanceof Variable) {
    const value = variables[ifArg.name];
    assert(value !== undefined && typeof value === 'boolean', () => `Unexpected value ${String(value)} for variable ${ifArg.toString()} of ${directive.toString()}`);
    return value;
  }
  return ifArg;
}

function typeConditionApplies(state: WalkState, step: FragmentStep, typename: string | undefined, parentType: CompositeType): boolean {
  const typeCondition = step.typeCondition;
  if (!typeCondition) return true;
  const key = typename ? typename : parentType;
  let applies = step.applies.get(key);
  if (applies === undefined) {
    if (typename) {
      const type = state.schema.type(typename);
      applies = !!type && isSubtype(typeCondition, type);
    } else {
      applies = isSubtype(typeCondition, parentType);
    }
    step.applies.set(key, applies);
  }
  return applies;
}

function applySelectionSet(state: WalkState, input: Record<string, unknown>, selectionSet: SelectionSet, output: Record<string, unknown>, parentType: CompositeType): ApplyResult {
  const steps = stepsOf(state, selectionSet);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (shouldSkip(state, step)) continue;
    if (step.field) {
      const responseName = step.responseName;
      const outputValue = output[responseName];
      if (step.isIntrospection) {
        if (outputValue === undefined) output[responseName] = state.introspectionHandling(step.selection);
        continue;
      }
      let inputValue = (Object.prototype.hasOwnProperty.call(input, responseName) ? input[responseName] : undefined) ?? null;
      if (step.isTypename) {
        if (outputValue === undefined) {
          if (inputValue === null && responseName !== typenameFieldName) inputValue = input[typenameFieldName] ?? null;
          const type = inputValue !== null && typeof inputValue === 'string' ? (state.schema.type(inputValue) ?? parentType) : parentType;
          if (!isObjectType(type)) return NULL_BUBBLE_UP;
          output[responseName] = type.name;
        }
        continue;
      }
      state.path.push(responseName);
      const updated = updateOutputValue(state, outputValue, step.shape, inputValue, step.selectionSet, parentType);
      const invalid = state.invalid;
      output[responseName] = updated;
      state.path.pop();
      if (invalid) return NULL_BUBBLE_UP;
    } else {
      const typename = input[typenameFieldName];
      assert(!typename || typeof typename === 'string', () => `Got unexpected value for __typename: ${String(typename)}`);
      if (typeConditionApplies(state, step, typename as string | undefined, parentType)) {
        const result = applySelectionSet(state, input, step.selectionSet, output, step.typeCondition ?? parentType);
        if (result === NULL_BUBBLE_UP) return NULL_BUBBLE_UP;
      }
    }
  }
  return OK;
}

/** Apollo's `updateOutputValue`; its `isInvalid` and `hasErrors` are left in `state`. */
function updateOutputValue(
  state: WalkState,
  outputValue: unknown,
  shape: Shape,
  inputValue: unknown,
  selectionSet: SelectionSet | undefined,
  parentType: CompositeType,
): unknown {
  assert(inputValue !== undefined, 'Should not pass undefined for `inputValue` to this method');
  state.invalid = false;
  state.hasErrors = false;
  if (outputValue === null || (outputValue !== undefined && !selectionSet)) return outputValue;
  const type = shape.type;
  switch (shape.kind) {
    case NON_NULL: {
      const of = shape.of!;
      const updated = updateOutputValue(state, outputValue, of, inputValue, selectionSet, parentType);
      if (updated === null) {
        if (!state.hasErrors) {
          state.errors.push(error(`Cannot return null for non-nullable ${pathLastElementDescription(state.path, of.type, parentType)}.`, state.path));
        }
        state.invalid = true;
        state.hasErrors = true;
        return null;
      }
      state.invalid = false;
      state.hasErrors = false;
      return updated;
    }
    case LIST: {
      if (inputValue === null) return null;
      assert(Array.isArray(inputValue), () => `Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${type.toString()}`);
      assert(outputValue === undefined || Array.isArray(outputValue), () => `Invalid non-list value ${String(outputValue)} returned by subgraph for list type ${type.toString()}`);
      const inputList = inputValue as unknown[];
      const outputList = outputValue === undefined ? new Array<unknown>(inputList.length).fill(undefined) : (outputValue as unknown[]);
      assert(
        inputList.length === outputList.length,
        () => `[${String(inputList)}].length (${inputList.length}) !== [${String(outputList)}].length (${outputList.length})`,
      );
      const of = shape.of!;
      let shouldNullify = false;
      let hasErrors = false;
      const updated = new Array<unknown>(outputList.length);
      for (let index = 0; index < outputList.length; index++) {
        state.path.push(index);
        updated[index] = updateOutputValue(state, outputList[index], of, inputList[index], selectionSet, parentType);
        state.path.pop();
        shouldNullify ||= state.invalid;
        hasErrors ||= state.hasErrors;
      }
      state.invalid = false;
      state.hasErrors = hasErrors;
      return shouldNullify ? null : updated;
    }
    case COMPOSITE: {
      if (inputValue === null) return null;
      assert(selectionSet, () => `Invalid empty selection set for composite type ${type.toString()}`);
      assert(typeof inputValue === 'object', () => `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type.toString()}`);
      assert(outputValue === undefined || typeof outputValue === 'object', () => `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type.toString()}`);
      const inputObject = inputValue as Record<string, unknown>;
      const inputTypename = inputObject[typenameFieldName];
      assert(inputTypename === undefined || typeof inputTypename === 'string', () => `Invalid non-string value ${String(inputTypename)} for __typename at ${String(state.path)}`);
      let objectType = type as CompositeType;
      if (inputTypename) {
        const typenameType = state.schema.type(inputTypename as string);
        if (!typenameType || !isCompositeType(typenameType)) {
          state.errors.push(error(`Invalid __typename found for object at ${pathLastElementDescription(state.path, type, parentType)}.`, state.path));
          state.invalid = false;
          state.hasErrors = true;
          return null;
        }
        objectType = typenameType;
      }
      const outputObject = outputValue === undefined ? newOutputObject() : (outputValue as Record<string, unknown>);
      const result = applySelectionSet(state, inputObject, selectionSet, outputObject, objectType);
      state.invalid = false;
      state.hasErrors = result === NULL_BUBBLE_UP;
      return state.hasErrors ? null : outputObject;
    }
    default: {
      if (inputValue === null) return null;
      assert(outputValue === undefined, () => `Excepted output to be undefined but got ${type.toString()} for type ${type.toString()}`);
      const isValid = isValidLeafValue(shape, inputValue);
      if (!isValid) state.errors.push(error(`Invalid value found for ${pathLastElementDescription(state.path, type, parentType)}.`, state.path));
      state.invalid = false;
      state.hasErrors = !isValid;
      return isValid ? inputValue : null;
    }
  }
}

function pathLastElementDescription(path: readonly (string | number)[], currentType: Type, parentType: CompositeType): string {
  const element = path[path.length - 1];
  assert(element !== undefined, 'Should not have been called on an empty path');
  return typeof element === 'string' ? `field ${parentType.toString()}.${element}` : `array element of type ${currentType.toString()} at index ${element}`;
}

function error(message: string, path: readonly (string | number)[]): GraphQLError {
  return ERRORS.INVALID_GRAPHQL.err(message, { path: Array.from(path) });
}

/** federation-internals' `assert`: the same `Error`, so the gateway answers the same message. */
function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(typeof message === 'string' ? message : message());
}

/**
 * An output object: no prototype properties (a response name such as `constructor` or an alias
 * `__proto__` is an own key, as in Apollo's `Object.create(null)`), but a constructed object, so
 * V8 gives the objects of one selection set one hidden class instead of a dictionary each.
 */
const OutputObject = function OutputObject() {} as unknown as new () => Record<string, unknown>;
OutputObject.prototype = Object.create(null) as object;

function newOutputObject(): Record<string, unknown> {
  return new OutputObject();
}
