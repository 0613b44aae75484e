/**
 * The gateway splits one client query into several fetches to the same subgraph (the unified
 * order view sends four to the ERP: orders, customers, order lines, products). Each fetch is its
 * own HTTP request, so each would get fresh DataLoaders and the ERP would be asked for the same
 * sales orders twice. The gateway names the client request its fetches belong to in this header
 * (queries only: never mutations, nor the fetches a subscription makes per event), and a subgraph
 * gives the fetches of one name one context: one DataLoader cache per client query, as a
 * monolithic GraphQL server has.
 */
export const REQUEST_SCOPE_HEADER = 'x-crossdock-request';

export interface RequestScopesOptions {
  /**
   * How long a scope is kept after its last fetch arrived (default 2000 ms). Fetches of one plan
   * step arrive within milliseconds of each other; a later step's fetches reuse the scope when they
   * come within this time and get a fresh context otherwise, which is only slower.
   */
  idleMs?: number;
  /** Scopes kept at once (default 5000); beyond that the longest idle goes first. */
  maxScopes?: number;
  now?: () => number;
}

/**
 * Contexts shared by the fetches of one client request. A scope is identified by the request
 * name AND the signed caller (the identity header), so fetches of different callers never share
 * one, whatever names they carry. Bounded in time and number: nothing is kept for long.
 */
export class RequestScopes<C> {
  /** Insertion order is last-use order: a touched scope is re-inserted at the end. */
  private readonly scopes = new Map<string, { context: C; lastUsed: number }>();
  private readonly idleMs: number;
  private readonly maxScopes: number;
  private readonly now: () => number;

  constructor(options: RequestScopesOptions = {}) {
    this.idleMs = options.idleMs ?? 2_000;
    this.maxScopes = options.maxScopes ?? 5_000;
    this.now = options.now ?? Date.now;
    if (!(this.idleMs > 0) || !Number.isSafeInteger(this.maxScopes) || this.maxScopes < 1) {
      throw new RangeError(`idleMs must be > 0 and maxScopes a whole number >= 1, got ${this.idleMs} and ${this.maxScopes}`);
    }
  }

  /**
   * The context of the fetch's client request: the one its earlier fetches got, or `create()`'s,
   * which later fetches of the same request then share. Without a request name (a mutation, a
   * caller other than the gateway), every fetch gets its own.
   */
  contextFor(requestName: string | undefined, caller: string, create: () => C): C {
    if (!requestName) return create();
    const now = this.now();
    this.evictIdle(now);
    const key = `${caller}\u0000${requestName}`;
    const known = this.scopes.get(key);
    const context = known ? known.context : create();
    this.scopes.delete(key);
    this.scopes.set(key, { context, lastUsed: now });
    if (this.scopes.size > this.maxScopes) {
      const oldest = this.scopes.keys().next();
      if (!oldest.done) this.scopes.delete(oldest.value);
    }
    return context;
  }

  /** Scopes kept now (tests, metrics). */
  get size(): number {
    return this.scopes.size;
  }

  private evictIdle(now: number): void {
    for (const [key, scope] of this.scopes) {
      if (now - scope.lastUsed < this.idleMs) return;
      this.scopes.delete(key);
    }
  }
}
