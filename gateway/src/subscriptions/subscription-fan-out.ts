import type { Identity } from '@crossdock/auth';
import type { Logger } from '@crossdock/service';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { completeResult, type ScopedOperation } from '../authorization';
import type { ClientProfile } from '../limits/admission';
import { formatGatewayError } from '../limits/error-hygiene';
import type { EventResolver, UpstreamEvent } from './event-resolution';
import type { SubgraphLinks } from './subgraph-links';
import { clientAfterValue, type SubscriptionPlan } from './subscription-planner';
import { UpstreamFeed, type FeedListener } from './upstream-feed';

/** One client subscription, as the fan-out writes to it. */
export interface Subscriber {
  /** The serialised payload of a `next` message, the same string for every subscriber of a group. */
  next(payloadJson: string): void;
  /** The subscription cannot go on; no more events come. */
  error(errors: readonly GraphQLFormattedError[]): void;
}

/** A subscription operation that passed authentication, validation, limits and scopes. */
export interface SubscriptionRequest {
  plan: SubscriptionPlan;
  /** The scope reduction to complete every event with; null when nothing was taken out. */
  scoped: ScopedOperation | null;
  /** The hash of the operation that runs (the reduced one's when reduced). */
  queryHash: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  identity: Identity;
  client: ClientProfile;
}

/** What the fan-out holds right now, and how often it subscribed upstream. */
export interface FanOutStats {
  /** Live upstream subscriptions (one per subgraph, root field, arguments and scope). */
  upstreamSubscriptions: number;
  /** Upstream subscribe messages sent since start, resubscriptions included. */
  upstreamSubscribes: number;
  /** Distinct (operation, variables, scope) groups: the plan's rest runs once per event per group. */
  groups: number;
  subscribers: number;
  /** Upstream subscriptions stopped until their groups catch up (flow control). */
  pausedUpstreamSubscriptions: number;
  /**
   * Groups that fell behind while others on their upstream subscription kept up, and were moved
   * onto an upstream subscription of their own (since start).
   */
  groupsSplitOff: number;
}

export interface SubscriptionFanOutOptions {
  links: SubgraphLinks;
  resolver: EventResolver;
  logger: Logger;
  development: boolean;
  /**
   * Events one group may hold taken from its feed and not yet delivered (resolving, or waiting
   * for the resolver's gate or for an earlier event) before its feed pauses; the feed resumes
   * once the group is down to half of it (default DEFAULT_MAX_BACKLOG).
   */
  maxBacklog?: number;
}

/**
 * A group's backlog by default. Event resolution is shared and bounded (EventResolver's gate);
 * without flow control a feed faster than its resolution would queue events without end, in
 * memory and in latency, and a client resuming far back would be sent its whole replay at once.
 */
export const DEFAULT_MAX_BACKLOG = 1_000;

/**
 * Shares work between subscribers at two levels. Subscribers asking the same operation with the
 * same variables under the same scope form a group, whose events are resolved (the plan's rest:
 * entity fetches) and serialised once and written to every member. Groups whose upstream
 * operation, arguments and scope are the same share one upstream subscription (a feed).
 *
 * The scope is the caller's row restriction (customer, channel) and its scopes: subgraphs filter
 * events by the identity of the upstream connection, and that identity is the scope's, never one
 * caller's, so a customer can never receive an event fetched for another.
 *
 * Groups on one feed may depend on different subgraphs for the rest of their plan (shipment
 * status alone, or with the order's customer from the ERP). A group that falls behind (its
 * backlog is full: a slow subgraph) while another on its feed keeps up is moved onto a feed of
 * its own, starting after the last cursor it was given and paused until it drains, so that one
 * slow subgraph does not stop the events of subscribers that do not need it. When every group on
 * a feed is behind, the feed pauses instead; when one of them catches up, those still behind
 * move off and the feed goes on for it.
 */
export class SubscriptionFanOut {
  private readonly feeds = new Map<string, UpstreamFeed>();
  private readonly groups = new Map<string, EventGroup>();
  private upstreamSubscribes = 0;
  private exclusiveCount = 0;
  private groupsSplitOff = 0;
  /** Each group's move onto a feed of its own (splitOff), for when another group on its feed drains. */
  private readonly movers = new Map<FeedListener, () => boolean>();
  private readonly formatError: (error: GraphQLFormattedError) => GraphQLFormattedError;

  constructor(private readonly options: SubscriptionFanOutOptions) {
    this.formatError = formatGatewayError(options.development);
  }

  /** Adds a subscriber; the returned function removes it again. */
  subscribe(request: SubscriptionRequest, subscriber: Subscriber): () => void {
    const scope = scopeOf(request.identity);
    // A client resuming after a cursor must get the replay from there, which a group or feed that
    // is already past it cannot give: such a subscription shares neither.
    const exclusive = clientAfterValue(request.plan.upstream.clientAfter, request.variables) === null ? '' : `\n#${++this.exclusiveCount}`;
    const groupKey = [request.queryHash, request.operationName ?? '', canonicalJson(request.variables), scope.key].join('\n') + exclusive;
    let group = this.groups.get(groupKey);
    if (!group) {
      const sharedKey = this.feedKey(request, scope) + exclusive;
      // The group's feed: the shared one, until the group falls behind alone (splitOff).
      const current = { key: sharedKey, feed: this.feeds.get(sharedKey) ?? this.openFeed(sharedKey, request, scope, clientAfterValue(request.plan.upstream.clientAfter, request.variables)) };
      group = new EventGroup({
        request,
        identity: scope.identity,
        resolver: this.options.resolver,
        formatError: this.formatError,
        logger: this.options.logger,
        maxBacklog: this.options.maxBacklog ?? DEFAULT_MAX_BACKLOG,
      });
      const created = group;
      const moveOff = (): boolean => this.splitOff(created, current, request, scope);
      this.movers.set(created, moveOff);
      created.backpressure = (full) => {
        if (full) {
          if (!moveOff()) current.feed.backpressure(created, true);
          return;
        }
        const feed = current.feed;
        feed.backpressure(created, false);
        // A feed every group had paused: now that this one keeps up, those still behind move off.
        if (feed.isPaused) for (const behind of feed.fullListeners()) this.movers.get(behind)?.();
      };
      let detached = false;
      // Once only: a failed group detaches itself, and its subscribers' unsubscribes come after.
      created.detach = () => {
        if (detached) return;
        detached = true;
        this.movers.delete(created);
        if (this.groups.get(groupKey) === created) this.groups.delete(groupKey);
        if (current.feed.remove(created)) {
          current.feed.stop();
          if (this.feeds.get(current.key) === current.feed) this.feeds.delete(current.key);
        }
      };
      this.groups.set(groupKey, created);
      created.subscribers.add(subscriber);
      current.feed.add(created);
    } else {
      group.subscribers.add(subscriber);
    }
    const joined = group;
    return () => {
      joined.subscribers.delete(subscriber);
      if (joined.subscribers.size === 0) joined.detach();
    };
  }

  stats(): FanOutStats {
    let subscribers = 0;
    for (const group of this.groups.values()) subscribers += group.subscribers.size;
    let pausedUpstreamSubscriptions = 0;
    for (const feed of this.feeds.values()) if (feed.isPaused) pausedUpstreamSubscriptions += 1;
    return {
      upstreamSubscriptions: this.feeds.size,
      upstreamSubscribes: this.upstreamSubscribes,
      groups: this.groups.size,
      subscribers,
      pausedUpstreamSubscriptions,
      groupsSplitOff: this.groupsSplitOff,
    };
  }

  /** Stops every upstream subscription (the connections have completed their clients' ones). */
  async close(): Promise<void> {
    for (const feed of this.feeds.values()) feed.stop();
    this.feeds.clear();
    this.groups.clear();
    this.movers.clear();
    await this.options.links.close();
  }

  private feedKey(request: SubscriptionRequest, scope: Scope): string {
    const { upstream } = request.plan;
    return [upstream.subgraph, upstream.query, canonicalJson(upstreamVariables(request)), scope.key].join('\n');
  }

  /**
   * Moves a full group onto a feed of its own when its feed is resumable and another group on it
   * keeps up (has at most half a backlog): the new feed starts after the last cursor the group was
   * given (its backlog holds everything up to there) and stays paused until the group drains.
   * Returns false, leaving the feed to pause, when that cannot be or would not help: groups that
   * fall behind together stay together.
   */
  private splitOff(group: EventGroup, current: { key: string; feed: UpstreamFeed }, request: SubscriptionRequest, scope: Scope): boolean {
    const shared = current.feed;
    const after = shared.cursor;
    // Without a cursor there is no place to start the group's own feed without a gap.
    if (!shared.resumable || after === null || !shared.keepsUpBesides(group)) return false;
    shared.remove(group);
    const key = `${current.key}\n~${++this.groupsSplitOff}`;
    const own = this.openFeed(key, request, scope, after);
    own.backpressure(group, true);
    own.add(group);
    current.key = key;
    current.feed = own;
    this.options.logger.warn({ after, operation: request.operationName ?? null }, 'subscription group behind: moved onto an upstream subscription of its own');
    return true;
  }

  private openFeed(key: string, request: SubscriptionRequest, scope: Scope, startAfter: string | null): UpstreamFeed {
    const { upstream } = request.plan;
    const feed = new UpstreamFeed({
      client: () => this.options.links.client(upstream.subgraph, scope.key, scope.identity),
      query: upstream.query,
      variables: upstreamVariables(request),
      resumable: upstream.resumable,
      startAfter,
      logger: this.options.logger,
      onSubscribe: () => {
        this.upstreamSubscribes += 1;
      },
    });
    this.feeds.set(key, feed);
    return feed;
  }
}

interface EventGroupOptions {
  request: SubscriptionRequest;
  identity: Identity;
  resolver: EventResolver;
  formatError: (error: GraphQLFormattedError) => GraphQLFormattedError;
  logger: Logger;
  maxBacklog: number;
}

/** Subscribers of one (operation, variables, scope): each event is resolved and serialised once. */
class EventGroup implements FeedListener {
  readonly subscribers = new Set<Subscriber>();
  /** Set by the fan-out: leaves the feed once the last subscriber is gone. */
  detach: () => void = () => undefined;
  /** Set by the fan-out: tells the feed this group is full (true) or has drained (false). */
  backpressure: (full: boolean) => void = () => undefined;
  /** Events resolve concurrently but are delivered in stream order. */
  private delivered: Promise<void> = Promise.resolve();
  /** Events taken from the feed and not delivered yet. */
  private backlog = 0;
  private full = false;

  constructor(private readonly options: EventGroupOptions) {}

  /** At most half a backlog: where a full group counts as drained. */
  get keepingUp(): boolean {
    return this.backlog <= this.options.maxBacklog / 2;
  }

  event(event: UpstreamEvent, cursor: string | null): void {
    const { request, identity, resolver, maxBacklog } = this.options;
    this.backlog += 1;
    if (!this.full && this.backlog >= maxBacklog) {
      this.full = true;
      this.backpressure(true);
    }
    const resolved = resolver
      .resolve({ plan: request.plan, queryHash: request.queryHash, variables: request.variables, identity, client: request.client }, event, () => this.subscribers.size > 0)
      .catch((error: unknown): ExecutionResult => {
        this.options.logger.error({ err: error }, 'resolving a subscription event failed');
        return { data: null, errors: [new GraphQLError('the event could not be resolved', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
      });
    this.delivered = this.delivered.then(async () => {
      try {
        this.deliver(await resolved, cursor);
      } catch (error) {
        // One event that cannot be written must not stop the ones after it.
        this.options.logger.error({ err: error }, 'delivering a subscription event failed');
      } finally {
        this.backlog -= 1;
        if (this.full && this.backlog <= maxBacklog / 2) {
          this.full = false;
          this.backpressure(false);
        }
      }
    });
  }

  fail(errors: readonly { message: string; extensions?: Record<string, unknown> }[]): void {
    const formatted = errors.map((e) => this.options.formatError({ message: e.message, extensions: { code: 'SUBSCRIPTION_FAILED', ...e.extensions } }));
    for (const subscriber of [...this.subscribers]) subscriber.error(formatted);
    this.subscribers.clear();
    this.detach();
  }

  private deliver(result: ExecutionResult, cursor: string | null): void {
    if (this.subscribers.size === 0) return;
    const completed = this.options.request.scoped ? completeResult(this.options.request.scoped, result) : result;
    const errors = completed.errors?.map((error) => this.options.formatError(formattedError(error)));
    const payload = {
      ...(errors && errors.length > 0 ? { errors } : {}),
      data: completed.data ?? null,
      extensions: { ...completed.extensions, ...(cursor === null ? {} : { cursor }) },
    };
    const json = JSON.stringify(payload);
    for (const subscriber of this.subscribers) subscriber.next(json);
  }
}

/**
 * An execution error as sent to clients. Apollo's executor also collects plain errors (a failed
 * fetch: timeout, reset), which carry no `toJSON`; their message goes out with a code.
 */
function formattedError(error: unknown): GraphQLFormattedError {
  if (error instanceof GraphQLError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return { message, extensions: { code: 'SUBGRAPH_FETCH_FAILED' } };
}

/** The scope subscribers share work under, and the identity upstream calls are made as. */
interface Scope {
  key: string;
  identity: Identity;
}

/** The subject upstream connections carry: they serve a scope, never one caller. */
const SCOPE_SUBJECT = 'crossdock-gateway:subscriptions';

function scopeOf(identity: Identity): Scope {
  const scopes = [...identity.scopes].sort();
  return {
    key: JSON.stringify([identity.customerId, identity.channel, scopes]),
    identity: { subject: SCOPE_SUBJECT, scopes, customerId: identity.customerId, channel: identity.channel },
  };
}

function upstreamVariables(request: SubscriptionRequest): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const name of request.plan.upstream.variableNames) {
    if (request.variables[name] !== undefined) variables[name] = request.variables[name];
  }
  return variables;
}

/** JSON with object keys sorted, so equal variables give equal keys whatever their order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
