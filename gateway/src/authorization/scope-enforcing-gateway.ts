import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { accessOfContext, type Access } from './access';
import { readSchemaRequirements } from './requirements';
import { completeResult, ScopeEnforcer, type ScopeEnforcerOptions } from './scope-enforcer';

/** What Apollo Server takes as `gateway` (@apollo/server-gateway-interface, through Apollo Server's own types). */
export type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
type GatewayRequestContext = Parameters<GatewayExecutor>[0];

export interface ScopeEnforcingGatewayOptions extends ScopeEnforcerOptions {
  /** The access of a request, from its context (default: the context's verified `identity`). */
  accessOf?: (context: GatewayRequestContext['context']) => Access;
  /**
   * false: operations go to the gateway's executor unchecked, while `scopes` is still built for
   * other transports. Only for measuring what the check costs (CROSSDOCK_BENCH_GOVERNANCE=off).
   */
  enforce?: boolean;
}

/**
 * Wraps the federation gateway so that every operation is reduced to what the caller's scopes
 * cover before it is planned, and the result gets null plus FORBIDDEN where fields were taken
 * out (CONTRACT.md, Auth). A wrapper around the executor, not a plugin: the gateway keys its
 * query-plan cache by `queryHash`, which plugins cannot change, so a plugin rewriting the
 * document would share one plan between callers with different scopes. Here the reduced
 * document travels with a hash of its own.
 */
export class ScopeEnforcingGateway implements GatewayInterface {
  private enforcer: ScopeEnforcer | Error = new Error('the gateway has not loaded a schema yet');
  private readonly accessOf: (context: GatewayRequestContext['context']) => Access;

  constructor(
    private readonly gateway: GatewayInterface,
    private readonly options: ScopeEnforcingGatewayOptions = {},
  ) {
    this.accessOf = options.accessOf ?? accessOfContext;
  }

  onSchemaLoadOrUpdate(...args: Parameters<GatewayInterface['onSchemaLoadOrUpdate']>): ReturnType<GatewayInterface['onSchemaLoadOrUpdate']> {
    return this.gateway.onSchemaLoadOrUpdate(...args);
  }

  async load(...args: Parameters<GatewayInterface['load']>): ReturnType<GatewayInterface['load']> {
    this.gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      // The gateway swallows a listener's error and serves the new schema anyway; keeping the
      // error makes every request fail rather than run unchecked against it.
      try {
        this.enforcer = new ScopeEnforcer(apiSchema, readSchemaRequirements(coreSupergraphSdl), this.options);
      } catch (error) {
        this.enforcer = error instanceof Error ? error : new Error(String(error));
      }
    });
    const { executor } = await this.gateway.load(...args);
    if (this.enforcer instanceof Error) throw this.enforcer;
    if (this.options.enforce === false) return { executor };
    return { executor: executor && ((requestContext) => this.execute(executor, requestContext)) };
  }

  stop(): Promise<void> {
    return this.gateway.stop();
  }

  /** The scope check of the schema being served, for transports other than HTTP (subscriptions). */
  get scopes(): ScopeEnforcer {
    if (this.enforcer instanceof Error) throw this.enforcer;
    return this.enforcer;
  }

  private async execute(executor: GatewayExecutor, requestContext: GatewayRequestContext): ReturnType<GatewayExecutor> {
    const scoped = this.scopes.authorize({
      document: requestContext.document,
      operationName: requestContext.request.operationName,
      queryHash: requestContext.queryHash,
      access: this.accessOf(requestContext.context),
    });
    if (!scoped) return executor(requestContext);
    const result = await executor({ ...requestContext, document: scoped.document, operation: scoped.operation, queryHash: scoped.queryHash });
    return completeResult(scoped, result);
  }
}
