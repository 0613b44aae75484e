import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { assertLoopback, type LoadResult, type RequestFeed } from './load';
import { percentile } from './percentile';

/** An open-loop run: requests sent at evenly spaced times, whether or not earlier ones were answered. */
export interface PacedLoadOptions {
  /** Full URL, e.g. http://127.0.0.1:4000/graphql. Loopback only. */
  url: string;
  headers: Record<string, string>;
  /** Makes every request's body and hears every answer. */
  feed: RequestFeed;
  ratePerSecond: number;
  durationSeconds: number;
  /** Connections at most; a request waits for a free one, and that wait counts in its latency. */
  connections: number;
  /** A request unanswered this long counts as an error. */
  timeoutSeconds: number;
}

/**
 * Sends `ratePerSecond` POSTs a second, each at its own scheduled time, for `durationSeconds`,
 * then waits for the last answers (up to the timeout). Latency counts from the time a request
 * was due, not from when it could go out, so a hub that falls behind shows it in p50/p99 instead
 * of quietly lowering the rate (the coordinated omission of a closed loop, or of autocannon's
 * `overallRate`, which sends each connection's share of a second as a burst and corrects the
 * histogram with synthetic values). `requestsPerSecond` is answers over the time from the first
 * send to the last answer (the window, or longer when the answers lag behind).
 */
export async function runPacedLoad(options: PacedLoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  assertLoopback(url);
  if (!(options.ratePerSecond > 0) || !(options.durationSeconds > 0)) throw new Error('a paced load needs a rate and a duration above 0');
  const pool = new Pool(url.origin, { connections: options.connections, pipelining: 1 });
  const timeoutMs = options.timeoutSeconds * 1000;
  const latencies: number[] = [];
  const tally = { non2xx: 0, errors: 0 };
  let lastAnswerAt = 0;

  const send = async (dueAt: number): Promise<void> => {
    const { id, body } = options.feed.next();
    try {
      const answer = await pool.request({
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: options.headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await answer.body.text();
      lastAnswerAt = performance.now();
      latencies.push(lastAnswerAt - dueAt);
      if (answer.statusCode < 200 || answer.statusCode >= 300) tally.non2xx += 1;
      options.feed.onAnswer(id, answer.statusCode, text);
    } catch {
      // Unanswered (timeout, reset): the feed still holds the request as undecided for the caller.
      tally.errors += 1;
    }
  };

  const intervalMs = 1000 / options.ratePerSecond;
  const total = Math.round(options.ratePerSecond * options.durationSeconds);
  const startedAt = performance.now();
  // Every request sent, in order; `send` never rejects, so they are awaited all at once at the end.
  const requests: Promise<void>[] = [];
  const dueAt = (index: number): number => startedAt + index * intervalMs;
  try {
    while (requests.length < total) {
      const now = performance.now();
      while (requests.length < total && dueAt(requests.length) <= now) requests.push(send(dueAt(requests.length)));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(5, dueAt(requests.length) - performance.now()))));
    }
    const windowSeconds = (performance.now() - startedAt) / 1000;
    await Promise.all(requests);
    // A hub that falls behind answers the window's requests after it: the rate is over the time they took.
    const durationSeconds = Math.max(windowSeconds, (lastAnswerAt - startedAt) / 1000);
    const sorted = Float64Array.from(latencies).sort();
    return {
      requestsPerSecond: latencies.length / durationSeconds,
      latencyP50Ms: percentile(sorted, 0.5),
      latencyP99Ms: percentile(sorted, 0.99),
      totalRequests: latencies.length,
      non2xx: tally.non2xx,
      errors: tally.errors,
      mismatches: 0,
      durationSeconds,
    };
  } finally {
    await pool.close();
  }
}
