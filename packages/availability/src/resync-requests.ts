import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStreams } from '@crossdock/events';
import { z } from 'zod';
import type { ResyncCheckpoint } from './ports';

/** The two streams a replica asks the leading one for a resync through. */
export interface ResyncStreamKeys {
  /** Requests, read by the leader's consumer group (default `crossdock:availability:resync-requests`). */
  requests: string;
  /** Answers: the run each request started or joined, read by every asking replica (default `crossdock:availability:resync-answers`). */
  answers: string;
}

export const DEFAULT_RESYNC_STREAMS: ResyncStreamKeys = { requests: 'crossdock:availability:resync-requests', answers: 'crossdock:availability:resync-answers' };

/** No leading replica started the resync in time; the request stays queued and the next leader starts it. */
export class ResyncQueuedError extends Error {
  override name = 'ResyncQueuedError';

  constructor(
    readonly requestId: string,
    readonly channel: string,
    waitedMs: number,
  ) {
    super(`no WMS replica leading the available-to-sell feeds started the resync of ${channel} within ${waitedMs} ms; the request (${requestId}) is queued and starts as soon as one leads`);
  }
}

const request = z.object({ id: z.string().min(1), channel: z.string().min(1), requestedBy: z.string(), at: z.iso.datetime() });
const checkpoint = z.object({
  channel: z.string(),
  runId: z.string(),
  skus: z.array(z.string()),
  next: z.number().int().min(0),
  startedAt: z.coerce.date(),
  finishedAt: z.coerce.date().nullable(),
  requestedBy: z.string(),
});
const answer = z.union([z.object({ requestId: z.string(), checkpoint }), z.object({ requestId: z.string(), error: z.string() })]);

/** The consumer group the leading replica reads requests in. */
const GROUP = 'availability-resync';

/**
 * Asks the leading replica to start (or join) a full resync of a channel: appends the request
 * and waits for its answer. Resolves with the run's first checkpoint; rejects with the leader's
 * error (an unknown channel), or ResyncQueuedError when no leader answered within `waitMs`.
 */
export async function requestResync(options: { streams: EventStreams; keys: ResyncStreamKeys; channel: string; requestedBy: string; waitMs: number }): Promise<ResyncCheckpoint> {
  const { streams, keys } = options;
  const id = randomUUID();
  // The answers after this point are the only ones that can be this request's.
  let after = await streams.lastId(keys.answers);
  await streams.append(keys.requests, JSON.stringify({ id, channel: options.channel, requestedBy: options.requestedBy, at: new Date().toISOString() }));
  const deadline = Date.now() + options.waitMs;
  for (let left = options.waitMs; left > 0; left = deadline - Date.now()) {
    const entries = await streams.read(keys.answers, after, { blockMs: Math.max(1, Math.min(left, 1000)), count: 100 });
    for (const entry of entries) {
      after = entry.id;
      const parsed = answer.safeParse(safeJson(entry.payload));
      if (!parsed.success || parsed.data.requestId !== id) continue;
      if ('error' in parsed.data) throw new Error(parsed.data.error);
      return parsed.data.checkpoint;
    }
  }
  throw new ResyncQueuedError(id, options.channel, options.waitMs);
}

/** Options of serveResyncRequests. */
export interface ResyncServerOptions {
  streams: EventStreams;
  keys: ResyncStreamKeys;
  /** This replica's name in the group. */
  consumer: string;
  /** Requests a leader that died took but did not answer are taken over after this. */
  claimIdleMs: number;
  /** Starts (or joins) the run and answers its first checkpoint. */
  start(channel: string, requestedBy: string): Promise<ResyncCheckpoint>;
  onError(message: string, error: unknown): void;
}

/**
 * The leading replica's side: reads resync requests in a consumer group, starts each, appends
 * the answer and only then acknowledges the request, so a request whose leader died meanwhile is
 * taken over by the next (it joins the run the crash left, which resumes from its checkpoint).
 */
export function serveResyncRequests(options: ResyncServerOptions): { stop(): Promise<void> } {
  const stopped = new AbortController();
  const loop = (async () => {
    let ready = false;
    while (!stopped.signal.aborted) {
      try {
        if (!ready) {
          // From the stream's start: requests made while no replica led are served too.
          await options.streams.ensureGroup(options.keys.requests, GROUP, '0');
          ready = true;
        }
        const entries = await options.streams.readGroup(options.keys.requests, GROUP, options.consumer, { blockMs: 1000, count: 10, claimIdleMs: options.claimIdleMs });
        for (const entry of entries) {
          if (stopped.signal.aborted) return;
          await serve(entry.payload, options);
          await options.streams.ack(options.keys.requests, GROUP, [entry.id]);
        }
      } catch (error) {
        if (stopped.signal.aborted) return;
        options.onError('availability: serving resync requests failed; retrying', error);
        ready = !(error instanceof Error && error.message.includes('NOGROUP'));
        await sleep(500, undefined, { signal: stopped.signal }).catch(() => undefined);
      }
    }
  })();
  return {
    stop: async () => {
      stopped.abort();
      await loop;
    },
  };
}

async function serve(payload: string, options: ResyncServerOptions): Promise<void> {
  const parsed = request.safeParse(safeJson(payload));
  if (!parsed.success) {
    // Nobody can be waiting for an answer to a request nobody can read: logged, and acknowledged.
    options.onError(`availability: a resync request is malformed and was dropped: ${payload.slice(0, 200)}`, parsed.error);
    return;
  }
  const { id, channel, requestedBy } = parsed.data;
  let reply: z.input<typeof answer>;
  try {
    reply = { requestId: id, checkpoint: await options.start(channel, requestedBy) };
  } catch (error) {
    reply = { requestId: id, error: error instanceof Error ? error.message : String(error) };
  }
  await options.streams.append(options.keys.answers, JSON.stringify(reply));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
