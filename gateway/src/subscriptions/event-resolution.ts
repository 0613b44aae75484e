import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { Identity } from '@crossdock/auth';
import type { Logger } from '@crossdock/service';
import { Kind, type ExecutionResult } from 'graphql';
import type { GatewayContext } from '../context';
import { DegradedSubgraphs } from '../degraded-answers';
import type { ClientProfile } from '../limits/admission';
import { ConcurrencyGate } from './concurrency-gate';
import { EVENT_SOURCE, type SubscriptionPlan, type SubscriptionPlanner } from './subscription-planner';

type RequestContext = Parameters<typeof executeQueryPlan>[2];
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** One event of an upstream subscription, as the subgraph sent it in its `next` message. */
export interface UpstreamEvent {
  data?: Record<string, unknown> | null;
  errors?: SubgraphResponse['errors'];
  extensions?: Record<string, unknown>;
}

/** Everything one distinct (operation, variables, scope) needs to resolve its events. */
export interface EventResolutionTarget {
  plan: SubscriptionPlan;
  /** The reduced document's hash (stands for the operation in Apollo's request context). */
  queryHash: string;
  variables: Record<string, unknown>;
  /** Who the entity fetches are sent as (signed into the identity header). */
  identity: Identity;
  client: ClientProfile;
}

/**
 * Enough to keep the subgraphs' batched entity fetches overlapping (each resolution is mostly
 * waiting on one), few enough that a burst over thousands of groups does not open thousands of
 * subgraph requests at once.
 */
const DEFAULT_MAX_CONCURRENT = 64;

/** A KeyValueCache that keeps nothing: the executor never caches, but the context must have one. */
const NO_CACHE = { get: async () => undefined, set: async () => undefined, delete: async () => undefined };

/**
 * Resolves the rest of a subscription's plan for one event with Apollo's own executor: the event
 * is the answer of the primary fetch (a data source answering with it), and the executor then
 * runs the entity fetches of `rest` through the gateway's signed data sources, batched per plan
 * step, and shapes the response as it does for queries. Run once per distinct operation,
 * variables and scope, never per subscriber.
 */
export class EventResolver {
  private readonly gate: ConcurrencyGate;

  constructor(
    private readonly planner: SubscriptionPlanner,
    private readonly dataSources: Readonly<Record<string, GraphQLDataSource<GatewayContext>>>,
    private readonly logger: Logger,
    /** Events resolved at once across all groups; the rest wait in arrival order. */
    maxConcurrent = DEFAULT_MAX_CONCURRENT,
  ) {
    this.gate = new ConcurrencyGate(maxConcurrent);
  }

  /**
   * Resolves one event once its turn at the gate comes; `wanted` is asked then, and an event no
   * one wants any more (its group emptied or failed while it waited) is not resolved at all.
   */
  resolve(target: EventResolutionTarget, event: UpstreamEvent, wanted: () => boolean = () => true): Promise<ExecutionResult> {
    return this.gate.run(() => (wanted() ? this.execute(target, event) : Promise.resolve({ data: null })));
  }

  private async execute(target: EventResolutionTarget, event: UpstreamEvent): Promise<ExecutionResult> {
    const context: GatewayContext = { identity: target.identity, client: target.client, degraded: new DegradedSubgraphs() };
    const serviceMap: ServiceMap = { ...this.dataSources, [EVENT_SOURCE]: eventSource(event) };
    const result = await executeQueryPlan(
      target.plan.eventPlan,
      serviceMap,
      this.requestContext(target, context),
      target.plan.operationContext,
      this.planner.supergraphSchema,
      this.planner.apiSchema,
    );
    const degraded = context.degraded.report();
    return degraded.length === 0 ? result : { ...result, extensions: { ...result.extensions, degraded } };
  }

  private requestContext(target: EventResolutionTarget, context: GatewayContext): RequestContext {
    const { operation } = target.plan.operationContext;
    return {
      request: { variables: target.variables, operationName: operation.name?.value },
      logger: this.logger,
      schema: this.planner.schema,
      // A branded string in Apollo's types; the executor never reads it.
      schemaHash: target.queryHash as RequestContext['schemaHash'],
      context,
      cache: NO_CACHE,
      queryHash: target.queryHash,
      document: { kind: Kind.DOCUMENT, definitions: [operation] },
      source: '',
      operationName: operation.name?.value ?? null,
      operation,
      metrics: {},
      overallCachePolicy: undefined,
    };
  }
}

/** The primary fetch's "subgraph" for one event: it answers with the event itself. */
function eventSource(event: UpstreamEvent): GraphQLDataSource<GatewayContext> {
  return { process: async () => ({ data: event.data ?? null, ...(event.errors ? { errors: event.errors } : {}) }) };
}
