import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** One closed-loop load run: a fixed number of connections, each sending the next request as soon as the last answered. */
export interface LoadOptions {
  /** Full URL, e.g. http://127.0.0.1:4000/graphql. Loopback only. */
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Concurrent connections (the reference benchmark's k6 "VUs"). */
  connections: number;
  durationSeconds: number;
  /** Decides whether a 2xx answer is a good one (e.g. no GraphQL `errors`); bad ones count as mismatches. */
  acceptBody?: (body: string) => boolean;
  /** Makes every request's body in place of `body`, and hears every answer. */
  feed?: RequestFeed;
  /** A request unanswered this long counts as an error and its connection is replaced (autocannon's default: 10). */
  timeoutSeconds?: number;
}

/**
 * Varies every request and hears every answer, for loads in which no two requests may be alike
 * (a mutation with an idempotency key) and every answer must be read.
 */
export interface RequestFeed {
  /** The next request's body, with an id that names it in `onAnswer`. */
  next(): { id: string; body: string };
  /**
   * The answer to request `id`, whatever its status. A request cut off by the end of the run, a
   * timeout or a dropped connection never gets here: its id is the caller's to follow up.
   */
  onAnswer(id: string, status: number, body: string): void;
}

/** What a load run measured. */
export interface LoadResult {
  /** Mean of the per-second request counts. */
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  totalRequests: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** 2xx answers that `acceptBody` rejected. */
  mismatches: number;
  durationSeconds: number;
}

/** A run's rate, latency and failures on one line, as the CLIs print it: "12.3 req/s, p50 …, errors 0". */
export function describeLoad(load: LoadResult): string {
  return `${load.requestsPerSecond.toFixed(1)} req/s, p50 ${load.latencyP50Ms} ms, p99 ${load.latencyP99Ms} ms, non-2xx ${load.non2xx}, errors ${load.errors}`;
}

/** Runs autocannon against `options.url` and resolves with its summary. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  assertLoopback(url);
  const { acceptBody, feed } = options;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'POST',
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    verifyBody: acceptBody ? (body) => acceptBody(typeof body === 'string' ? body : String(body ?? '')) : undefined,
    requests: feed ? [feedRequest(feed)] : undefined,
    ...(options.timeoutSeconds === undefined ? {} : { timeout: options.timeoutSeconds }),
  });
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    totalRequests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    mismatches: result.mismatches,
    durationSeconds: result.duration,
  };
}

/** Throws unless `url` is on the loopback interface: the benches never load another machine. */
export function assertLoopback(url: URL): void {
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    throw new Error(`load is only ever sent to the loopback interface, not ${url.hostname}`);
  }
}

/**
 * autocannon hands setupRequest and onResponse the connection's context object, which it
 * replaces with a fresh one before building each request; keyed by it, the id of the request
 * being built is the one its answer belongs to (one request in flight per connection).
 */
function feedRequest(feed: RequestFeed): autocannon.Request {
  const requestIds = new WeakMap<object, string>();
  return {
    setupRequest: (request, context) => {
      const { id, body } = feed.next();
      requestIds.set(context, id);
      return { ...request, body };
    },
    onResponse: (status, body, context) => {
      const id = requestIds.get(context);
      if (id !== undefined) feed.onAnswer(id, status, body);
    },
  };
}

/** Resource use of one process over a sampling window. */
export interface ProcessUsage {
  /** Highest VmRSS seen, in MiB. */
  peakRssMiB: number;
  /** CPU time (user + system) over wall time; 100 means one full core. */
  cpuPercent: number;
  samples: number;
  /**
   * Median VmRSS of the first and of the last minute of the window (of its first and last fifth
   * when it is shorter than five minutes), in MiB: equal values mean memory stayed flat.
   */
  rssFirstMiB: number;
  rssLastMiB: number;
}

/** Usage of a process that could not be sampled. */
export const UNMEASURED_USAGE: ProcessUsage = { peakRssMiB: Number.NaN, cpuPercent: Number.NaN, samples: 0, rssFirstMiB: Number.NaN, rssLastMiB: Number.NaN };

/** A running sampler; `stop()` ends it and returns what it saw (the same answer on every call). */
export interface ProcessSampler {
  stop(): ProcessUsage;
}

/**
 * Samples a process's VmRSS (from /proc/<pid>/status) every `intervalMs` and its CPU time
 * (from /proc/<pid>/stat) at start and stop. Linux only, which is where the bench runs.
 */
export function sampleProcess(pid: number, intervalMs = 250): ProcessSampler {
  const ticksPerSecond = clockTicksPerSecond();
  const startedAt = process.hrtime.bigint();
  const startTicks = cpuTicks(pid);
  const first = readRssKiB(pid);
  const rssSamples: number[] = first === null ? [] : [first];
  const timer = setInterval(() => {
    const rss = readRssKiB(pid);
    if (rss !== null) rssSamples.push(rss);
  }, intervalMs);
  let usage: ProcessUsage | undefined;
  return {
    stop: () => {
      if (usage) return usage;
      clearInterval(timer);
      const rss = readRssKiB(pid);
      if (rss !== null) rssSamples.push(rss);
      const elapsedSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const endTicks = cpuTicks(pid);
      const cpuSeconds = startTicks === null || endTicks === null ? Number.NaN : (endTicks - startTicks) / ticksPerSecond;
      const edge = Math.max(1, Math.min(Math.round(60_000 / intervalMs), Math.floor(rssSamples.length / 5)));
      usage = {
        peakRssMiB: rssSamples.reduce((peak, value) => Math.max(peak, value), 0) / 1024,
        cpuPercent: (100 * cpuSeconds) / elapsedSeconds,
        samples: rssSamples.length,
        rssFirstMiB: median(rssSamples.slice(0, edge)) / 1024,
        rssLastMiB: median(rssSamples.slice(-edge)) / 1024,
      };
      return usage;
    },
  };
}

/** Samplers of several named processes, stopped together; `stop()` answers the same on every call. */
export function sampleProcesses(pids: Readonly<Record<string, number>>): { stop(): Record<string, ProcessUsage> } {
  const samplers = Object.entries(pids).map(([name, pid]) => [name, sampleProcess(pid)] as const);
  return { stop: () => Object.fromEntries(samplers.map(([name, sampler]) => [name, sampler.stop()])) };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** VmRSS of a process in KiB, or null once it is gone. */
export function readRssKiB(pid: number): number | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null; // the process is gone; keep what was seen
  }
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : null;
}

function cpuTicks(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the parenthesised command name (which may itself contain spaces): utime is
  // field 14 and stime field 15 of the whole line, so 12th and 13th after ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

let cachedTicksPerSecond: number | undefined;

/** USER_HZ, the unit of /proc/<pid>/stat times; 100 on every mainstream Linux build. */
function clockTicksPerSecond(): number {
  if (cachedTicksPerSecond === undefined) {
    try {
      cachedTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      cachedTicksPerSecond = 100;
    }
  }
  return cachedTicksPerSecond;
}
