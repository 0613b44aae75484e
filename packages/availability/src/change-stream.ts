import { setTimeout as sleep } from 'node:timers/promises';
import { decodeEvent, streamKey, type EventStreams, type HubEvent } from '@crossdock/events';
import type { AvailabilityEngine } from './availability-engine';

/** Options of startChangeStream. */
export interface ChangeStreamOptions {
  streams: EventStreams;
  engine: AvailabilityEngine;
  /** This replica's name in the consumer group. */
  consumer: string;
  /** Consumer group (default `availability`). */
  group?: string;
  keyPrefix?: string;
  /**
   * Streams besides the bus's `inventory` and `orders` topics whose entries move ATP, each with
   * how to read the SKUs and change time from an entry (e.g. the reservations' expiry events).
   */
  sources?: readonly ChangeSource[];
  /**
   * Entries another consumer of the group read but did not acknowledge for this long are taken
   * over (default 30 s). A feed leader that takes over from one that died sets its lease time.
   */
  claimIdleMs?: number;
  /** An entry that is not a canonical event; it is acknowledged after this (default: ignored). */
  onMalformed?: (entry: { id: string; payload: string }, error: unknown) => void;
  onError?: (error: unknown) => void;
}

/** A stream whose entries move ATP: its key, and the SKUs and change time (epoch ms) of one entry's payload (throws on a malformed one). */
export interface ChangeSource {
  stream: string;
  changes(payload: string): { skus: readonly string[]; at: number };
}

/** The SKUs whose ATP an event moves: a stock movement's SKU, a placed or cancelled order's lines. */
export function skusMovedBy(event: HubEvent): string[] {
  if (event.type === 'inventory.changed') return [event.position.sku];
  if (event.type === 'order.status-changed' && (event.cause === 'placed' || event.cause === 'cancelled')) return [...new Set(event.order.lines.map((line) => line.sku))];
  return [];
}

/**
 * Every ATP change on the event bus reaches the engine: receipts and adjustments from the WMS
 * (`inventory`), reservations and cancellations from order capture (`orders`), and whatever
 * `sources` add (reservations released on expiry). Entries are read
 * by a consumer group and acknowledged only once the figures they caused are saved, so a crash
 * in between makes another replica (or the restart) process them again.
 */
export function startChangeStream(options: ChangeStreamOptions): { stop(): Promise<void> } {
  const group = options.group ?? 'availability';
  const stopped = new AbortController();
  const sources = [...[streamKey('inventory', options.keyPrefix), streamKey('orders', options.keyPrefix)].map(busSource), ...(options.sources ?? [])];
  const loops = sources.map((source) => consume(source, group, options, stopped.signal));
  return {
    stop: async () => {
      stopped.abort();
      await Promise.all(loops);
    },
  };
}

/** A topic of the event bus: canonical events, each moving the SKUs skusMovedBy names. */
function busSource(stream: string): ChangeSource {
  return {
    stream,
    changes: (payload) => {
      const event = decodeEvent(payload);
      return { skus: skusMovedBy(event), at: Date.parse(event.at) };
    },
  };
}

async function consume({ stream, changes: read }: ChangeSource, group: string, options: ChangeStreamOptions, signal: AbortSignal): Promise<void> {
  let ready = false;
  while (!signal.aborted) {
    try {
      if (!ready) {
        await options.streams.ensureGroup(stream, group, '$');
        ready = true;
      }
      const entries = await options.streams.readGroup(stream, group, options.consumer, { blockMs: 1000, count: 500, claimIdleMs: options.claimIdleMs ?? 30_000 });
      if (entries.length === 0) continue;
      // Each SKU's earliest change in the batch, timed as the event was: the push lag counts from there.
      const changes: [string, number][] = [];
      for (const entry of entries) {
        try {
          const { skus, at } = read(entry.payload);
          for (const sku of skus) changes.push([sku, at]);
        } catch (error) {
          options.onMalformed?.(entry, error);
        }
      }
      if (changes.length > 0) await options.engine.touchAt(changes);
      await options.streams.ack(stream, group, entries.map((entry) => entry.id));
    } catch (error) {
      if (signal.aborted) return;
      options.onError?.(error);
      ready = !(error instanceof Error && error.message.includes('NOGROUP'));
      await sleep(500, undefined, { signal }).catch(() => undefined);
    }
  }
}
