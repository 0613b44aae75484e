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

/** Runs autocannon against `options.url` and resolves with its summary. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    throw new Error(`load is only ever sent to the loopback interface, not ${url.hostname}`);
  }
  const { acceptBody } = options;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'POST',
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    verifyBody: acceptBody ? (body) => acceptBody(typeof body === 'string' ? body : String(body ?? '')) : undefined,
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

/** Resource use of one process over a sampling window. */
export interface ProcessUsage {
  /** Highest VmRSS seen, in MiB. */
  peakRssMiB: number;
  /** CPU time (user + system) over wall time; 100 means one full core. */
  cpuPercent: number;
  samples: number;
}

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
  let peakRssKiB = readRssKiB(pid) ?? 0;
  let samples = 1;
  const timer = setInterval(() => {
    const rss = readRssKiB(pid);
    if (rss === null) return;
    peakRssKiB = Math.max(peakRssKiB, rss);
    samples += 1;
  }, intervalMs);
  let usage: ProcessUsage | undefined;
  return {
    stop: () => {
      if (usage) return usage;
      clearInterval(timer);
      const rss = readRssKiB(pid);
      if (rss !== null) peakRssKiB = Math.max(peakRssKiB, rss);
      const elapsedSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const endTicks = cpuTicks(pid);
      const cpuSeconds = startTicks === null || endTicks === null ? Number.NaN : (endTicks - startTicks) / ticksPerSecond;
      usage = { peakRssMiB: peakRssKiB / 1024, cpuPercent: (100 * cpuSeconds) / elapsedSeconds, samples: samples + 1 };
      return usage;
    },
  };
}

function readRssKiB(pid: number): number | null {
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
