import { createHash } from 'node:crypto';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import { accessKey, type Access } from './access';
import { applyForbiddenFields } from './forbidden-fields';
import { LruCache } from './lru-cache';
import { reduceOperation, type OperationReduction } from './operation-reduction';
import type { SchemaRequirements } from './requirements';

/** One operation to authorize, whatever carries it (HTTP query or mutation, a subscription). */
export interface OperationRequest {
  document: DocumentNode;
  operationName: string | null | undefined;
  /** A hash of the document's text (Apollo Server's `queryHash`): with the scopes, the cache key. */
  queryHash: string;
  access: Access;
}

/** An operation reduced for one access: execute `document`, then pass each result through `completeResult`. */
export interface ScopedOperation extends OperationReduction {
  /**
   * Stands for the reduced document in the gateway's query-plan cache, which is keyed by the
   * hash: the request's hash plus the access that shaped it, so two scope sets never share a plan.
   */
  readonly queryHash: string;
}

export interface ScopeEnforcerOptions {
  /** Analyses kept (per document, operation name and relevant scopes), least recently used dropped first. */
  cacheSize?: number;
}

/** Enough for every operation of a fleet of frontends and partners times their scope sets. */
const DEFAULT_CACHE_SIZE = 1_000;

/**
 * The scope check of one loaded schema: what a request may not see is decided before anything
 * executes. Queries, mutations and subscriptions go through the same `authorize`. A subscription
 * transport subscribes with the reduced document and applies `completeResult` to every event;
 * when its root field itself is forbidden (`forbidden.forbidden` has it at the root) it answers
 * that FORBIDDEN error instead of subscribing, as a marker cannot be a subscription's root field.
 */
export class ScopeEnforcer {
  // `null` remembers "nothing forbidden", the common case, as cheaply as a reduction.
  private readonly cache: LruCache<string, ScopedOperation | null>;

  constructor(
    readonly schema: GraphQLSchema,
    readonly requirements: SchemaRequirements,
    options: ScopeEnforcerOptions = {},
  ) {
    this.cache = new LruCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  }

  /** The operation reduced to what the access may see, or null when it may see all of it. */
  authorize(request: OperationRequest): ScopedOperation | null {
    if (this.requirements.empty) return null;
    const access = accessKey(request.access, this.requirements.scopes);
    const key = `${request.queryHash}\n${request.operationName ?? ''}\n${access}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const reduction = reduceOperation(this.schema, this.requirements, request.document, request.operationName, request.access);
    const scoped = reduction && { ...reduction, queryHash: createHash('sha256').update(key).digest('hex') };
    this.cache.set(key, scoped);
    return scoped;
  }
}

/**
 * Completes one result of a reduced operation: null and a FORBIDDEN error at every forbidden
 * field, nulls carried up past non-null fields; the errors come first, before any of execution.
 */
export function completeResult(operation: ScopedOperation, result: ExecutionResult): ExecutionResult {
  const { data, errors } = applyForbiddenFields(result.data, operation.forbidden);
  if (errors.length === 0) return result;
  return { ...result, data, errors: [...errors, ...(result.errors ?? [])] };
}
