import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER, signIdentity } from '@crossdock/auth';
import type { GatewayContext } from './context';

/**
 * Sends each subgraph fetch with the verified caller in a header signed with HUB_SUBGRAPH_SECRET,
 * so subgraphs can filter rows by customer or channel and refuse anything that did not come
 * through the gateway.
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
}
