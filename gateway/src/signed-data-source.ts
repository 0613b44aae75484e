import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER } from '@crossdock/auth';
import { REQUEST_SCOPE_HEADER } from '@crossdock/service';
import { inClientSpan, observeSubgraphFetch, traceHeaders } from '@crossdock/telemetry';
import type { GatewayContext } from './context';
import { IdentitySignatures } from './identity-signatures';

/** What RemoteGraphQLDataSource hands didReceiveResponse: the subgraph's answer and the request's context. */
type ReceivedResponse = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0];

/**
 * Sends each subgraph fetch with the verified caller in a header signed with HUB_SUBGRAPH_SECRET,
 * so subgraphs can filter rows by customer or channel and refuse anything that did not come
 * through the gateway; and collects each answer's `extensions.degraded` into the request's context.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    fetcher: Fetcher,
    private readonly subgraphSecret: string,
    /** The subgraph's name in metrics and traces. */
    private readonly subgraphName = new URL(url).host,
  ) {
    super({ url, fetcher });
    this.signatures = new IdentitySignatures({ secret: subgraphSecret });
  }

  /** One signature per caller per minute, not one per fetch (identity-signatures.ts). */
  private readonly signatures: IdentitySignatures;

  /** Every fetch is timed per subgraph and outcome, and traced as a CLIENT span when tracing is on. */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    return inClientSpan(`subgraph ${this.subgraphName}`, { 'crossdock.subgraph': this.subgraphName }, async () => {
      try {
        const response = await super.process(options);
        observeSubgraphFetch(this.subgraphName, (response.errors ?? []).length === 0 || response.data !== undefined, seconds());
        return response;
      } catch (error) {
        observeSubgraphFetch(this.subgraphName, false, seconds());
        throw error;
      }
    });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const { request, context } = options;
    const identity = 'identity' in context ? context.identity : undefined;
    if (identity && request.http) request.http.headers.set(IDENTITY_HEADER, this.signatures.header(identity));
    const scope = requestScopeOf(options);
    if (scope && request.http) request.http.headers.set(REQUEST_SCOPE_HEADER, scope);
    // The W3C trace context of the fetch's span (set by process()), so the subgraph continues the trace.
    if (request.http) for (const [name, value] of Object.entries(traceHeaders())) request.http.headers.set(name, value);
  }

  override didReceiveResponse({ response, context }: ReceivedResponse): ReceivedResponse['response'] {
    // The gateway's own calls (health checks) run without a request context.
    if ('degraded' in context) context.degraded.note(response.extensions?.degraded);
    return response;
  }
}

/** The name of each client query, by its context (one per request; coalesced requests share the leader's). */
const requestScopes = new WeakMap<object, string>();

/**
 * The name of the client query a fetch belongs to (REQUEST_SCOPE_HEADER), for the subgraph to
 * share one context, and so one DataLoader cache, among its fetches. Queries only: a mutation's
 * fetches must each see what the one before it wrote, and a subscription's are made per event
 * (their operation is the subscription), each event to be resolved afresh.
 */
function requestScopeOf(options: GraphQLDataSourceProcessOptions<GatewayContext>): string | undefined {
  // Health checks and schema loading have no incoming request (and Apollo does not export the kind enum).
  if (!('incomingRequestContext' in options) || options.incomingRequestContext.operation?.operation !== 'query') return undefined;
  const { context } = options;
  let scope = requestScopes.get(context);
  if (scope === undefined) {
    scope = randomUUID();
    requestScopes.set(context, scope);
  }
  return scope;
}
