import { IDENTITY_HEADER, signIdentity, type Identity } from '@crossdock/auth';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** How long an upstream socket stays open after its last subscription ended, for the next to reuse. */
const LAZY_CLOSE_MS = 500;

/** The gateway's graphql-ws connection to one subgraph, for one caller scope. */
export interface SubgraphLinkOptions {
  /** Subgraph HTTP URLs by name (`http://host:port/graphql`); the WebSocket is on the same URL. */
  subgraphUrls: ReadonlyMap<string, string>;
  /** HUB_SUBGRAPH_SECRET: the identity in `connection_init` is signed with it, as over HTTP. */
  subgraphSecret: string;
}

/** No compression: event payloads are small, and deflate costs CPU on every message both ways. */
class PlainWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols, { perMessageDeflate: false });
  }
}

/**
 * One graphql-ws client per (subgraph, scope): subgraphs filter rows by the identity in
 * `connection_init`, so callers restricted differently never share a connection, while every
 * subscription of one scope is multiplexed over one socket. The identity is signed afresh on
 * every (re)connect, as the subgraph refuses a stale one.
 *
 * Clients never retry by themselves (`retryAttempts: 0`): a feed re-subscribes on its own, with
 * `after` set to the last cursor it saw, which graphql-ws' retry (the same payload again) cannot.
 */
export class SubgraphLinks {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: SubgraphLinkOptions) {}

  /** The client for this subgraph and scope; `scopeKey` must identify `identity`'s restrictions. */
  client(subgraph: string, scopeKey: string, identity: Identity): Client {
    const key = `${subgraph}\n${scopeKey}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.connect(subgraph, identity);
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * Closes every upstream socket (after the feeds have completed their subscriptions), and
   * resolves once nothing of theirs is left pending. graphql-ws's `dispose()` leaves the lazy-close
   * timer of a client whose last subscription just ended running (it only does nothing when it
   * fires), and that ref'd timer held the process up to LAZY_CLOSE_MS after a gateway stopped:
   * Jest's workers were killed for not exiting. So close() waits it out.
   */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.dispose()));
    if (clients.length > 0) await new Promise((resolve) => setTimeout(resolve, LAZY_CLOSE_MS));
  }

  private connect(subgraph: string, identity: Identity): Client {
    const httpUrl = this.options.subgraphUrls.get(subgraph);
    if (!httpUrl) throw new Error(`no URL for subgraph "${subgraph}"`);
    return createClient({
      url: httpUrl.replace(/^http/, 'ws'),
      webSocketImpl: PlainWebSocket,
      connectionParams: () => ({ [IDENTITY_HEADER]: signIdentity(identity, this.options.subgraphSecret) }),
      lazy: true,
      // Feeds come and go as clients do; keep the socket a moment so a resubscribe reuses it.
      lazyCloseTimeout: LAZY_CLOSE_MS,
      retryAttempts: 0,
      // A subgraph that vanished without closing (network cut) is noticed within this.
      keepAlive: 10_000,
    });
  }
}
