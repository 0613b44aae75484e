import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER, signIdentity } from '@crossdock/auth';
import type { GatewayContext } from './context';

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
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const identity = 'identity' in context ? context.identity : undefined;
    if (identity && request.http) request.http.headers.set(IDENTITY_HEADER, signIdentity(identity, this.subgraphSecret));
  }

  override didReceiveResponse({ response, context }: ReceivedResponse): ReceivedResponse['response'] {
    // The gateway's own calls (health checks) run without a request context.
    if ('degraded' in context) context.degraded.note(response.extensions?.degraded);
    return response;
  }
}
