import { encodeEvent, streamKey, type EventTopic, type HubEvent } from './canonical-events';
import type { EventStreams } from './ports';

/** An event the bus refused (Redis down): what it was, verbatim, and why. */
export interface PublishFailure {
  topic: EventTopic;
  /** A subject for operators: the entity the event is about. */
  subject: string;
  payload: string;
  error: unknown;
}

/** How long a notice id is remembered: backends redeliver a notice for hours, not days. */
const ONCE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Appends canonical events to their topic's stream. An event the bus refuses is handed to
 * `onFailure` (the exception store, kind event-publish) with its payload, never dropped.
 */
export class EventPublisher {
  constructor(
    private readonly streams: EventStreams,
    private readonly onFailure: (failure: PublishFailure) => Promise<void>,
    private readonly keyPrefix = 'crossdock:',
  ) {}

  /**
   * The new entry's id (the event's cursor), or null when it could not be appended and was
   * recorded instead. With `onceKey` (a backend's notice or movement id), an event already
   * published under that key within a day is not appended again: its first cursor is answered.
   */
  async publish(topic: EventTopic, event: HubEvent, onceKey?: string): Promise<string | null> {
    const payload = encodeEvent(event);
    const stream = streamKey(topic, this.keyPrefix);
    try {
      if (onceKey === undefined) return await this.streams.append(stream, payload);
      return (await this.streams.appendOnce(stream, payload, `${this.keyPrefix}once:${topic}:${onceKey}`, ONCE_WINDOW_MS)).id;
    } catch (error) {
      await this.onFailure({ topic, subject: subjectOf(event), payload, error });
      return null;
    }
  }
}

function subjectOf(event: HubEvent): string {
  switch (event.type) {
    case 'inventory.changed':
      return `${event.position.sku}@${event.position.warehouseId}`;
    case 'shipment.updated':
      return event.shipment.id;
    case 'order.status-changed':
      return event.order.id;
  }
}
