import { backendNoticeId, EventPublisher, readEventRetention, RedisEventStreams, StreamFeed, streamKey, type EventStreams, type EventTopic, type HubEvent, type StreamFeedOptions } from '@crossdock/events';
import { GraphQLError } from 'graphql';
import type { Route } from './http-service';
import { EventBusUnavailableError, signedWebhookRoute } from './signed-webhook';
import type { Logger } from 'pino';
import { rateLimitedAlarm } from './alarm';
import { z } from 'zod';

/** What an item the events path could not process is recorded as; the exception store takes it. */
export interface EventExceptionReport {
  kind: 'malformed-webhook' | 'event-publish';
  subject: string;
  reason: string;
  rawPayload: string;
}

/**
 * The event bus as a subgraph uses it: the streams (Redis, or in process in all-in-one), where
 * refused notices and unpublishable events are recorded, and the backend's webhook key.
 */
export interface SubgraphEvents {
  streams: EventStreams;
  /** Prefix of the stream keys (default `crossdock:`), so several hubs can share one Redis. */
  keyPrefix?: string;
  /** The backend's webhook HMAC key; null refuses every notice (none can be verified). */
  webhookSecret: string | null;
  /** Null only in in-process tests: refused notices are then only logged. */
  exceptions: { record(report: EventExceptionReport): Promise<unknown> } | null;
  /** Live reader tuning, for tests. */
  feed?: StreamFeedOptions;
}

/**
 * Appends the subgraph's canonical events; an event the bus refuses is recorded in the exception
 * store (kind event-publish) with its payload. If even that fails, the error is logged loudly:
 * the webhook then answers 503, so the backend delivers the notice again.
 */
export function eventPublisher(events: SubgraphEvents, logger: Logger): EventPublisher {
  return new EventPublisher(
    events.streams,
    async ({ topic, subject, payload, error }) => {
      logger.error({ err: error, topic, subject }, 'event could not be appended to its stream');
      await events.exceptions
        ?.record({ kind: 'event-publish', subject, reason: `appending to the ${topic} stream failed: ${error instanceof Error ? error.message : String(error)}`, rawPayload: payload })
        .catch((recordError: unknown) => logger.error({ err: recordError, topic, subject, payload }, 'unpublished event could not be recorded either'));
    },
    events.keyPrefix,
  );
}

/** The process's one live reader of a topic's stream, shared by every subscription to it. */
export function openEventFeed(events: SubgraphEvents, topic: EventTopic, logger: Logger): StreamFeed {
  const alarm = rateLimitedAlarm(logger, `event-stream-${topic}`);
  return new StreamFeed(events.streams, streamKey(topic, events.keyPrefix), {
    onReadError: (error) => alarm(`reading the ${topic} stream failed; retrying from the last event`, error),
    ...events.feed,
  });
}

/** A subgraph's part of the event bus: the webhook its backend notifies, and the live reader of its stream. */
export interface WebhookEvents {
  routes: Route[];
  feed: StreamFeed | null;
  close(): void;
}

export interface WebhookEventsOptions {
  /** e.g. "/webhooks/wms". */
  path: string;
  /** The backend that notifies, e.g. "wms". */
  source: string;
  /** The header with the notice's HMAC, e.g. "X-WMS-Signature". */
  signatureHeader: string;
  /** The stream the events go to and subscriptions read. */
  topic: EventTopic;
  /** Reads a verified notice as the canonical event (throws BackendError 'bad-response' when it cannot). */
  toEvent: (notice: unknown) => Promise<HubEvent> | HubEvent;
}

/**
 * A backend's signed notices become canonical events on the subgraph's stream: the webhook
 * verifies and reads each notice and appends its event; subscriptions read the stream through
 * one live feed. Without an event bus there is neither.
 */
export function startWebhookEvents(events: SubgraphEvents | null | undefined, logger: Logger, options: WebhookEventsOptions): WebhookEvents {
  if (!events) return { routes: [], feed: null, close: () => undefined };
  const publisher = eventPublisher(events, logger);
  const webhook = signedWebhookRoute({
    path: options.path,
    source: options.source,
    signatureHeader: options.signatureHeader,
    secret: events.webhookSecret,
    exceptions: events.exceptions,
    logger,
    accept: async (notice) => {
      // Backends redeliver notices (a retry after a lost answer): the same notice is published once.
      const event = await options.toEvent(notice);
      const cursor = await publisher.publish(options.topic, event, backendNoticeId(event));
      if (cursor === null) throw new EventBusUnavailableError(`the ${options.topic} stream refused the event`);
      return cursor;
    },
  });
  const feed = openEventFeed(events, options.topic, logger);
  return { routes: [webhook], feed, close: () => feed.close() };
}

/** The feed a subscription reads, or a clear error where this subgraph runs without an event bus. */
export function requireFeed(feed: StreamFeed | null): StreamFeed {
  if (feed) return feed;
  throw new GraphQLError('subscriptions are not available: this subgraph runs without an event bus', { extensions: { code: 'SUBSCRIPTIONS_UNAVAILABLE' } });
}

/** True when a filter argument lets `value` through: null or absent means everything. */
export function passesFilter(allowed: readonly string[] | string | null | undefined, value: string): boolean {
  if (allowed === null || allowed === undefined) return true;
  return typeof allowed === 'string' ? allowed === value : allowed.includes(value);
}

/** A webhook HMAC key from the environment: unset is allowed (notices are then refused), short is not. */
export function readWebhookSecret(variable: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const value = env[variable];
  if (value === undefined || value === '') return null;
  const result = z.string().min(16).safeParse(value);
  if (!result.success) throw new Error(`invalid configuration:\n  ${variable}: must be at least 16 characters`);
  return result.data;
}

export interface ConnectEventsOptions {
  redisUrl: string;
  /** The variable with the backend's webhook key, e.g. WMS_WEBHOOK_SECRET (null: this subgraph takes no webhooks). */
  webhookSecretEnv: string | null;
  exceptions: SubgraphEvents['exceptions'];
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/**
 * A subgraph main's event bus: Redis Streams with the retention of EVENT_STREAM_MAXLEN /
 * EVENT_STREAM_MAX_AGE_MS, and the webhook key from the environment. The caller closes the
 * returned `streams` after the service.
 */
export async function connectSubgraphEvents(options: ConnectEventsOptions): Promise<SubgraphEvents & { streams: RedisEventStreams }> {
  const env = options.env ?? process.env;
  const webhookSecret = options.webhookSecretEnv === null ? null : readWebhookSecret(options.webhookSecretEnv, env);
  const alarm = rateLimitedAlarm(options.logger, 'event-bus-connection');
  const streams = await RedisEventStreams.connect({
    url: options.redisUrl,
    retention: readEventRetention(env),
    onConnectionError: (error) => alarm('event bus (Redis) connection error; reconnecting', error),
  });
  return { streams, webhookSecret, exceptions: options.exceptions };
}
