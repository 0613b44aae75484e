import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStreams, StreamEntry } from './ports';

export interface GroupConsumerOptions {
  stream: string;
  /** Every replica of a service uses the same group, so each entry is processed once among them. */
  group: string;
  /** This replica's name in the group; unique per process (a host and pid, or a random id). */
  consumer: string;
  /** Processes one entry; the entry is acknowledged once it resolves. */
  handle: (entry: StreamEntry) => Promise<void>;
  /**
   * An entry `handle` failed on: record it (the exception store), then it is acknowledged, so a
   * poison entry never blocks the ones behind it and is never lost. If this throws too, the
   * entry stays unacknowledged and is tried again.
   */
  onFailure: (entry: StreamEntry, error: unknown) => Promise<void>;
  /** Hears failed reads (Redis down); the consumer retries. */
  onReadError?: (error: unknown) => void;
  /** Where a group created now starts: "$" (default) for new entries only, "0" for everything kept. */
  startId?: string;
  blockMs?: number;
  batchSize?: number;
  /** Entries another consumer left unacknowledged this long are taken over (default 30 s). */
  claimIdleMs?: number;
  retryMs?: number;
}

export interface RunningGroupConsumer {
  /** Stops after the entry in hand; resolves when the loop ended. */
  stop(): Promise<void>;
}

/**
 * A work-queue consumer over a consumer group: each entry is handled by one replica of the
 * group, acknowledged after handling, and taken over by another replica when its consumer died
 * before acknowledging (at-least-once: `handle` must be idempotent). The group exists once this
 * resolves, so entries appended after it are never missed.
 */
export async function startGroupConsumer(streams: EventStreams, options: GroupConsumerOptions): Promise<RunningGroupConsumer> {
  await streams.ensureGroup(options.stream, options.group, options.startId ?? '$');
  const stopped = new AbortController();
  const loop = consume(streams, options, stopped.signal);
  return {
    stop: async () => {
      stopped.abort();
      await loop;
    },
  };
}

async function consume(streams: EventStreams, options: GroupConsumerOptions, signal: AbortSignal): Promise<void> {
  const read = { blockMs: options.blockMs ?? 2_000, count: options.batchSize ?? 50, claimIdleMs: options.claimIdleMs ?? 30_000 };
  while (!signal.aborted) {
    let entries: StreamEntry[];
    try {
      entries = await streams.readGroup(options.stream, options.group, options.consumer, read);
    } catch (error) {
      if (signal.aborted) return;
      options.onReadError?.(error);
      await sleep(options.retryMs ?? 500, undefined, { signal }).catch(() => undefined);
      // A Redis that restarted without persistence lost the group with the stream: make it
      // again, from the start of what the new stream holds, so no entry appended since is skipped.
      if (error instanceof Error && error.message.includes('NOGROUP')) await streams.ensureGroup(options.stream, options.group, '0').catch(options.onReadError);
      continue;
    }
    for (const entry of entries) {
      if (signal.aborted) return;
      if (await processed(entry, options)) await streams.ack(options.stream, options.group, [entry.id]).catch((error: unknown) => options.onReadError?.(error));
    }
  }
}

/** True when the entry may be acknowledged: handled, or its failure recorded. */
async function processed(entry: StreamEntry, options: GroupConsumerOptions): Promise<boolean> {
  try {
    await options.handle(entry);
    return true;
  } catch (error) {
    try {
      await options.onFailure(entry, error);
      return true;
    } catch (recordError) {
      options.onReadError?.(recordError);
      await sleep(options.retryMs ?? 500);
      return false;
    }
  }
}
