import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { AuthError, bearerTokenExpiry, type TokenVerifier } from '@crossdock/auth';
import type { Logger } from '@crossdock/service';
import type { GraphQLFormattedError } from 'graphql';
import { CloseCode, MessageType, parseMessage, stringifyMessage, type SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { OperationAdmission, SubscriptionCaller } from './operation-admission';
import type { SubscriptionFanOut } from './subscription-fan-out';
import type { WriteBatching } from './write-batching';

/**
 * Closes a client whose unsent data passed its limit. 4429 is graphql-ws' "too many" code,
 * which its client treats as fatal: a consumer that cannot keep up should not reconnect into the
 * same overload by itself, but decide to come back with `after` set to its last cursor.
 */
export const SLOW_CONSUMER_CLOSE = 4429;

/** Sent to every client when the gateway shuts down (WebSocket "going away"). */
export const GOING_AWAY_CLOSE = 1001;

export interface ClientConnectionOptions {
  verify: TokenVerifier;
  operations: OperationAdmission;
  fanOut: SubscriptionFanOut;
  logger: Logger;
  /** How long a client has to send `connection_init` (graphql-ws default: 3 s). */
  initTimeoutMs: number;
  /** Bytes the socket may hold unsent before the client counts as a slow consumer. */
  maxBufferedBytes: number;
  /** Subscriptions one socket may hold at once. */
  maxSubscriptions: number;
  /** Event writes are held to the end of the turn, to go out together when several are ready. */
  batching: WriteBatching;
}

/** After a close frame, how long a client gets to read it before its socket is cut. */
const CLOSE_GRACE_MS = 5_000;

/**
 * The graphql-transport-ws protocol for one client socket. Written against graphql-ws' message
 * helpers rather than its server, because fan-out must write one serialised payload to many
 * sockets (its server serialises every `next` per subscriber) and must see each socket's buffer
 * to close a slow consumer without holding up the others.
 */
export class ClientConnection {
  private caller: SubscriptionCaller | null = null;
  private initReceived = false;
  /** Subscription id → unsubscribe; an id is present from `subscribe` on, also while admitting. */
  private readonly subscriptions = new Map<string, (() => void) | null>();
  private closed = false;
  private readonly initTimer: NodeJS.Timeout;
  /** When the caller's token expires (epoch ms); the subscriptions end then. */
  private expiresAtMs: number | null = null;
  /** A ping went out and its pong has not come back yet. */
  private awaitingPong = false;

  constructor(
    private readonly socket: WebSocket,
    /** The TCP socket under `socket` (the upgraded request's), whose writes can be held. */
    private readonly transport: Duplex,
    private readonly request: IncomingMessage,
    private readonly options: ClientConnectionOptions,
    /** Which tick of the server's heartbeat beats this connection. */
    readonly heartbeatSlice = 0,
  ) {
    this.initTimer = setTimeout(() => this.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout'), options.initTimeoutMs);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return this.close(CloseCode.BadRequest, 'binary messages are not part of graphql-transport-ws');
      void this.receive(data.toString()).catch((error: unknown) => {
        options.logger.error({ err: error }, 'subscription message failed');
        this.close(CloseCode.InternalServerError, 'Internal server error');
      });
    });
    socket.on('pong', () => {
      this.awaitingPong = false;
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
  }

  /**
   * One beat of the server's heartbeat: closes the connection once its token has expired
   * (4403, which graphql-ws clients retry, asking their `connectionParams` for a fresh token),
   * cuts a peer that has not answered the previous beat's ping (a dead TCP connection holds
   * its subscriptions forever otherwise), and pings the rest. WebSocket-level ping frames:
   * every client answers them without application code.
   */
  heartbeat(now: number): void {
    if (this.closed) return;
    if (this.expiresAtMs !== null && now >= this.expiresAtMs) return this.close(CloseCode.Forbidden, 'Forbidden: token expired');
    if (this.awaitingPong) {
      this.options.logger.info({ subscriptions: this.subscriptions.size }, 'subscription client did not answer a ping; connection cut');
      this.dispose();
      this.socket.terminate();
      return;
    }
    this.awaitingPong = true;
    this.socket.ping();
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** Gateway shutdown: completes every subscription, then closes with 1001. */
  shutDown(): void {
    for (const id of [...this.subscriptions.keys()]) this.sendRaw(stringifyMessage({ id, type: MessageType.Complete }));
    this.close(GOING_AWAY_CLOSE, 'gateway shutting down');
  }

  private async receive(text: string): Promise<void> {
    let message;
    try {
      message = parseMessage(text);
    } catch (error) {
      return this.close(CloseCode.BadRequest, error instanceof Error ? error.message : 'Invalid message received');
    }
    switch (message.type) {
      case MessageType.ConnectionInit:
        return this.init(message.payload);
      case MessageType.Ping:
        return this.sendRaw(stringifyMessage({ type: MessageType.Pong }));
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        return this.subscribe(message.id, message.payload);
      case MessageType.Complete:
        return this.unsubscribe(message.id);
      default:
        return this.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  private async init(payload: Record<string, unknown> | null | undefined): Promise<void> {
    if (this.initReceived) return this.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
    this.initReceived = true;
    const authorization = payload?.['authorization'];
    const header = typeof authorization === 'string' ? authorization : undefined;
    try {
      const identity = await this.options.verify(header);
      this.caller = { identity, headers: { ...this.request.headers, authorization: header } };
      this.expiresAtMs = bearerTokenExpiry(header);
    } catch (error) {
      const reason = error instanceof AuthError ? error.message : 'authentication failed';
      return this.close(CloseCode.Forbidden, truncateReason(`Forbidden: ${reason}`));
    }
    clearTimeout(this.initTimer);
    this.sendRaw(stringifyMessage({ type: MessageType.ConnectionAck }));
  }

  private async subscribe(id: string, payload: SubscribePayload): Promise<void> {
    if (!this.caller) return this.close(CloseCode.Unauthorized, 'Unauthorized');
    if (this.subscriptions.has(id)) return this.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
    if (this.subscriptions.size >= this.options.maxSubscriptions) {
      return this.sendError(id, [{ message: `at most ${this.options.maxSubscriptions} subscriptions per connection`, extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }]);
    }
    this.subscriptions.set(id, null);
    const decision = await this.options.operations.admit(payload, this.caller);
    if (!this.subscriptions.has(id) || this.closed) return; // completed by the client meanwhile
    if ('errors' in decision) {
      this.subscriptions.delete(id);
      return this.sendError(id, decision.errors);
    }
    const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    const unsubscribe = this.options.fanOut.subscribe(decision.request, {
      next: (payloadJson) => this.send(`${prefix}${payloadJson}}`),
      error: (errors) => {
        this.subscriptions.delete(id);
        this.sendError(id, errors);
      },
    });
    this.subscriptions.set(id, unsubscribe);
  }

  private unsubscribe(id: string): void {
    const unsubscribe = this.subscriptions.get(id);
    this.subscriptions.delete(id);
    unsubscribe?.();
  }

  private sendError(id: string, errors: readonly GraphQLFormattedError[]): void {
    this.sendRaw(JSON.stringify({ id, type: MessageType.Error, payload: errors }));
  }

  /**
   * An event: refused, and the client closed, when the socket already held too much unsent at
   * the start of this turn (the bytes batched in this turn are not the client's fault).
   */
  private send(text: string): void {
    if (this.closed) return;
    const firstThisTurn = this.options.batching.hold(this.transport);
    if (firstThisTurn && this.socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.logger.warn({ bufferedBytes: this.socket.bufferedAmount, subscriptions: this.subscriptions.size }, 'slow consumer closed');
      return this.close(SLOW_CONSUMER_CLOSE, 'slow consumer: events queued faster than the client reads them');
    }
    this.socket.send(text);
  }

  private sendRaw(text: string): void {
    if (!this.closed) this.socket.send(text);
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.socket.close(code, reason);
    // A client that does not read cannot receive the close frame either; cut it after a grace.
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.initTimer);
    for (const unsubscribe of this.subscriptions.values()) unsubscribe?.();
    this.subscriptions.clear();
  }
}

/** A close reason must fit a control frame (123 bytes). */
function truncateReason(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : `${reason.slice(0, 119)}…`;
}
