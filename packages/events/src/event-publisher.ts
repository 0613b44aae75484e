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

  /** The new entry's id (the event's cursor), or null when it could not be appended and was recorded instead. */
  async publish(topic: EventTopic, event: HubEvent): Promise<string | null> {
    const payload = encodeEvent(event);
    try {
      return await this.streams.append(streamKey(topic, this.keyPrefix), payload);
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
