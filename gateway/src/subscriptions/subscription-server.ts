import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { TokenVerifier } from '@crossdock/auth';
import type { Logger } from '@crossdock/service';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, handleProtocols } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ScopeEnforcer } from '../authorization';
import type { GatewayContext } from '../context';
import type { ClientAdmission } from '../limits/admission';
import { DEFAULT_LIMITS, type LimitsPolicy } from '../limits/limits-policy';
import { TrustedDocuments } from '../trusted-documents/trusted-documents';
import { ClientConnection } from './client-connection';
import { EventResolver } from './event-resolution';
import { OperationAdmission } from './operation-admission';
import { SubgraphLinks } from './subgraph-links';
import { SubscriptionFanOut, type FanOutStats } from './subscription-fan-out';
import { SubscriptionPlanner } from './subscription-planner';
import { WriteBatching } from './write-batching';

export interface SubscriptionServerOptions {
  /** The supergraph SDL as the gateway executes it (supergraphForExecution). */
  supergraphSdl: string;
  /** The gateway's signed data sources by subgraph name: entity fetches go through them. */
  dataSources: Readonly<Record<string, GraphQLDataSource<GatewayContext>>>;
  /** Subgraph URLs by name, as the gateway calls them over HTTP. */
  subgraphUrls: ReadonlyMap<string, string>;
  subgraphSecret: string;
  verify: TokenVerifier;
  admission: ClientAdmission;
  scopes: () => ScopeEnforcer;
  limits?: LimitsPolicy;
  trustedDocuments?: TrustedDocuments;
  logger: Logger;
  development: boolean;
  /** Path the WebSocket is served on (the same as HTTP GraphQL). */
  path?: string;
  /** Unsent bytes one client may hold before it is closed as a slow consumer (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Events a subscription group may hold unresolved or undelivered before its upstream pauses (default 1,000). */
  maxBacklog?: number;
  /** Subscriptions per socket (default 100). */
  maxSubscriptionsPerConnection?: number;
  /** Time to send `connection_init` (default 3 s). */
  initTimeoutMs?: number;
  /**
   * Every this many ms each client is pinged, one that did not answer the last ping is cut, and
   * one whose token expired is closed with 4403 (default 15 s).
   */
  heartbeatMs?: number;
}

export interface SubscriptionServer {
  stats(): FanOutStats & { connections: number };
  /** Completes every client subscription, closes the sockets with 1001, stops upstream feeds. */
  close(): Promise<void>;
}

/** The heartbeat's interval is split in this many ticks, each beating one slice of the clients. */
const HEARTBEAT_SLICES = 15;

/** How long shutdown waits for clients to take their close frames before cutting the sockets. */
const SHUTDOWN_GRACE_MS = 1_000;

/**
 * Serves graphql-ws (`graphql-transport-ws`) on the gateway's HTTP server, same port and path as
 * HTTP GraphQL (CONTRACT.md, Subscriptions). Every subscription is planned over the supergraph:
 * its root field is subscribed at the owning subgraph over graphql-ws, and the rest of the plan
 * runs through the gateway's data sources for every event.
 */
export function attachSubscriptionServer(server: Server, options: SubscriptionServerOptions): SubscriptionServer {
  const path = options.path ?? '/graphql';
  const planner = new SubscriptionPlanner(options.supergraphSdl);
  const fanOut = new SubscriptionFanOut({
    links: new SubgraphLinks({ subgraphUrls: options.subgraphUrls, subgraphSecret: options.subgraphSecret }),
    resolver: new EventResolver(planner, options.dataSources, options.logger),
    logger: options.logger,
    development: options.development,
    ...(options.maxBacklog === undefined ? {} : { maxBacklog: options.maxBacklog }),
  });
  const operations = new OperationAdmission({
    planner,
    scopes: options.scopes,
    admission: options.admission,
    limits: options.limits ?? DEFAULT_LIMITS,
    trustedDocuments: options.trustedDocuments ?? TrustedDocuments.none,
    supergraphSdl: options.supergraphSdl,
  });
  const connectionOptions = {
    verify: options.verify,
    operations,
    fanOut,
    logger: options.logger,
    initTimeoutMs: options.initTimeoutMs ?? 3_000,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    maxSubscriptions: options.maxSubscriptionsPerConnection ?? 100,
    batching: new WriteBatching(),
  };
  // No compression: it costs CPU per message and socket, and per-socket deflate state memory.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (protocols) => handleProtocols(protocols) });
  const connections = new Map<WebSocket, ClientConnection>();
  let nextSlice = 0;
  const accept = (socket: WebSocket, transport: Duplex, request: IncomingMessage): void => {
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    connections.set(socket, new ClientConnection(socket, transport, request, connectionOptions, nextSlice++ % HEARTBEAT_SLICES));
    socket.on('close', () => connections.delete(socket));
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    if ((queryStart === -1 ? url : url.slice(0, queryStart)) !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, socket, request));
  };
  server.on('upgrade', onUpgrade);
  // One timer for all clients, not one per client. Each tick beats one slice of them, so that
  // 10,000 subscribers are pinged a few hundred at a time, not all in one turn of the event loop
  // (10,000 socket writes at once would hold every event behind them for a noticeable time).
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  let tick = 0;
  const heartbeat = setInterval(() => {
    const slice = tick++ % HEARTBEAT_SLICES;
    const now = Date.now();
    for (const connection of connections.values()) if (connection.heartbeatSlice === slice) connection.heartbeat(now);
  }, heartbeatMs / HEARTBEAT_SLICES);
  heartbeat.unref();
  return {
    stats: () => ({ ...fanOut.stats(), connections: connections.size }),
    close: async () => {
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      const sockets = [...connections.keys()];
      for (const connection of connections.values()) connection.shutDown();
      await Promise.race([Promise.all(sockets.map(closedOf)), delay(SHUTDOWN_GRACE_MS)]);
      for (const socket of sockets) socket.terminate();
      await fanOut.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function closedOf(socket: WebSocket): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
