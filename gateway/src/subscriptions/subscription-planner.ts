import { buildOperationContext } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
  type VariableDefinitionNode,
  type VariableNode,
} from 'graphql';
import { LruCache } from '../authorization/lru-cache';

type OperationContext = ReturnType<typeof buildOperationContext>;

/** The argument every subscription field of the contract takes to resume after a cursor. */
export const AFTER_ARGUMENT = 'after';

/** The variable the gateway binds the upstream `after` to, so it can resume with its own cursor. */
export const RESUME_VARIABLE = '__crossdockAfter';

/** The data source name the event of the primary fetch is answered from, per event. */
export const EVENT_SOURCE = '__crossdockEvent';

/** Where the client's own `after` comes from: a literal in the document or one of its variables. */
export type ClientAfter = { kind: 'literal'; value: string | null } | { kind: 'variable'; name: string } | { kind: 'none' };

/** The upstream half of a subscription plan: the root field's subscription to its subgraph. */
export interface UpstreamOperation {
  subgraph: string;
  /** The primary fetch's operation with `after: $__crossdockAfter` when the field takes `after`. */
  query: string;
  /** Client variables the upstream operation uses (besides the resume variable). */
  variableNames: readonly string[];
  /** Null when the root field takes no `after`: such a feed cannot resume without a gap. */
  resumable: boolean;
  clientAfter: ClientAfter;
}

/** How the gateway runs one subscription operation: one upstream feed, the rest per event. */
export interface SubscriptionPlan {
  upstream: UpstreamOperation;
  /**
   * The plan run for every event: the primary fetch answered by the event itself (from the
   * EVENT_SOURCE data source), then the plan's `rest`, i.e. the entity fetches to the other
   * subgraphs, batched per plan step by Apollo's own executor.
   */
  eventPlan: QueryPlan;
  operationContext: OperationContext;
}

/** Plans kept, keyed by the (reduced) document's hash and operation name. */
const PLAN_CACHE_SIZE = 1_000;

/**
 * Plans subscriptions over the supergraph with Apollo's query planner, which yields a
 * `Subscription` node (`primary` fetch and `rest`) that @apollo/gateway itself refuses to execute.
 * The same planner the gateway uses for queries, built from the same supergraph SDL.
 */
export class SubscriptionPlanner {
  private readonly planner: QueryPlanner;
  /** The API schema as @apollo/federation-internals models it, for the planner and executor. */
  readonly apiSchema: Schema;
  /** The API schema as graphql-js models it. */
  readonly schema: GraphQLSchema;
  /** The supergraph schema as graphql-js models it (the executor's entity rewrites need it). */
  readonly supergraphSchema: GraphQLSchema;
  private readonly plans = new LruCache<string, SubscriptionPlan>(PLAN_CACHE_SIZE);

  /** `supergraphSdl` as the gateway executes it (supergraphForExecution). */
  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  /** The plan of a valid subscription operation; `cacheKey` identifies the document (its hash). */
  plan(document: DocumentNode, operationName: string | undefined, cacheKey: string): SubscriptionPlan {
    const key = `${cacheKey}\n${operationName ?? ''}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const queryPlan = this.planner.buildQueryPlan(operation);
    const node = queryPlan.node;
    if (node?.kind !== 'Subscription') throw new GraphQLError('not a subscription operation', { extensions: { code: 'BAD_REQUEST' } });
    const plan: SubscriptionPlan = {
      upstream: upstreamOperation(node.primary, this.schema),
      eventPlan: { kind: 'QueryPlan', node: eventNode({ ...node.primary, serviceName: EVENT_SOURCE }, node.rest) },
      operationContext: buildOperationContext({ schema: this.schema, operationDocument: document, operationName }),
    };
    this.plans.set(key, plan);
    return plan;
  }
}

function eventNode(eventFetch: FetchNode, rest: QueryPlan['node']): QueryPlan['node'] {
  if (!rest) return eventFetch;
  if (rest.kind === 'Subscription') throw new Error('a subscription plan cannot nest another subscription');
  return { kind: 'Sequence', nodes: [eventFetch, rest] };
}

/**
 * The primary fetch as sent upstream: its root field's `after` bound to RESUME_VARIABLE (the
 * client's own `after` becomes the first value of it), variables it no longer uses dropped.
 */
function upstreamOperation(primary: FetchNode, schema: GraphQLSchema): UpstreamOperation {
  const document = parse(primary.operation);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const rootField = operation?.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD);
  if (!operation || !rootField) throw new Error(`the primary fetch to ${primary.serviceName} has no root field`);
  const fieldDefinition = schema.getSubscriptionType()?.getFields()[rootField.name.value];
  const resumable = fieldDefinition?.args.some((arg) => arg.name === AFTER_ARGUMENT) ?? false;
  if (!resumable) {
    return { subgraph: primary.serviceName, query: primary.operation, variableNames: primary.variableUsages ?? [], resumable, clientAfter: { kind: 'none' } };
  }
  const given = rootField.arguments?.find((arg) => arg.name.value === AFTER_ARGUMENT);
  const resumeVariable: VariableNode = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: RESUME_VARIABLE } };
  const resumeArgument: ArgumentNode = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: AFTER_ARGUMENT }, value: resumeVariable };
  const rewrittenField: FieldNode = {
    ...rootField,
    arguments: [...(rootField.arguments ?? []).filter((arg) => arg !== given), resumeArgument],
  };
  const resumeDefinition: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: resumeVariable,
    type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } },
  };
  const rewritten: OperationDefinitionNode = {
    ...operation,
    selectionSet: { ...operation.selectionSet, selections: operation.selectionSet.selections.map((s) => (s === rootField ? rewrittenField : s)) },
  };
  const used = usedVariables(rewritten);
  const withDefinitions: OperationDefinitionNode = {
    ...rewritten,
    variableDefinitions: [...(rewritten.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)), resumeDefinition],
  };
  return {
    subgraph: primary.serviceName,
    query: print({ ...document, definitions: document.definitions.map((d) => (d === operation ? withDefinitions : d)) }),
    variableNames: [...used].filter((name) => name !== RESUME_VARIABLE),
    resumable,
    clientAfter: clientAfterOf(given?.value),
  };
}

function clientAfterOf(value: ValueNode | undefined): ClientAfter {
  if (!value || value.kind === Kind.NULL) return { kind: 'literal', value: null };
  if (value.kind === Kind.VARIABLE) return { kind: 'variable', name: value.name.value };
  if (value.kind === Kind.STRING) return { kind: 'literal', value: value.value };
  throw new GraphQLError(`"${AFTER_ARGUMENT}" must be a cursor string`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function usedVariables(operation: OperationDefinitionNode): Set<string> {
  const used = new Set<string>();
  visit(operation.selectionSet, {
    Variable: (node) => {
      used.add(node.name.value);
    },
  });
  return used;
}

/** The client's `after` for an upstream operation, from the document or the request's variables. */
export function clientAfterValue(after: ClientAfter, variables: Readonly<Record<string, unknown>>): string | null {
  if (after.kind === 'none') return null;
  if (after.kind === 'literal') return after.value;
  const value = variables[after.name];
  return typeof value === 'string' ? value : null;
}
