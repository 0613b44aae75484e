import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER } from '@crossdock/auth';
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

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const identity = 'identity' in context ? context.identity : undefined;
    if (identity && request.http) request.http.headers.set(IDENTITY_HEADER, this.signatures.header(identity));
    // The W3C trace context of the fetch's span (set by process()), so the subgraph continues the trace.
    if (request.http) for (const [name, value] of Object.entries(traceHeaders())) request.http.headers.set(name, value);
  }

  override didReceiveResponse({ response, context }: ReceivedResponse): ReceivedResponse['response'] {
    // The gateway's own calls (health checks) run without a request context.
    if ('degraded' in context) context.degraded.note(response.extensions?.degraded);
    return response;
  }
}
