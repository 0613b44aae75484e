import { runLoad, sampleProcess, sampleProcesses, type LoadOptions, type LoadResult, type ProcessUsage } from '../load';
import { sampleMachine } from '../machine';

/** One of the two gateways compared: the same load, sent to its own URL. */
export interface WindowSubject {
  name: string;
  load: Omit<LoadOptions, 'durationSeconds'>;
  pid: number;
}

/** One measured window of one subject. */
export interface Window {
  subject: string;
  load: LoadResult;
  usage: ProcessUsage;
  helpers: Record<string, ProcessUsage>;
  /** The whole machine over the window, 100 per busy core. */
  machineBusyPercent: number;
}

/** Every window of a run, in the order they ran. */
export interface AlternatingRun {
  windows: Window[];
  /** `a` req/s ÷ `b` req/s of each adjacent a/b pair, in run order: the spread shows the noise. */
  pairRatios: number[];
}

export interface AlternatingOptions {
  /** Windows per subject; even, so that the ABBA order below ends balanced. */
  windowsPerSubject: number;
  windowSeconds: number;
  warmupSeconds: number;
  /** Other processes whose CPU is worth showing (subgraphs, simulators, the load generator). */
  helperPids: () => Record<string, number>;
  label: string;
  /** Runs just before each measured window (after the previous one has settled), e.g. to zero counters. */
  beforeWindow?: (subject: WindowSubject) => Promise<void>;
  /** Runs after each measured window has settled, e.g. to read counters. */
  afterWindow?: (subject: WindowSubject, window: Window) => Promise<void>;
}

/**
 * Measures `a` and `b` in alternating windows, a b b a a b b a …, so that whatever else the
 * machine does (other jobs, a JIT still warming, a cache filling) falls on both alike, and a
 * steady drift cancels out over each a b b a block. Both are warmed first, one after the other.
 */
export async function measureAlternating(a: WindowSubject, b: WindowSubject, options: AlternatingOptions): Promise<AlternatingRun> {
  for (const subject of [a, b]) {
    if (options.warmupSeconds === 0) break;
    console.log(`${options.label}: ${subject.name}: warming up ${options.warmupSeconds} s`);
    await settle(await runLoad({ ...subject.load, durationSeconds: options.warmupSeconds }));
  }
  const windows: Window[] = [];
  const pairRatios: number[] = [];
  for (const [index, [first, second]] of abbaPairs(a, b, options.windowsPerSubject).entries()) {
    const firstWindow = await measureWindow(first, options);
    const secondWindow = await measureWindow(second, options);
    windows.push(firstWindow, secondWindow);
    const [ofA, ofB] = first === a ? [firstWindow, secondWindow] : [secondWindow, firstWindow];
    pairRatios.push(ofA.load.requestsPerSecond / ofB.load.requestsPerSecond);
    console.log(`${options.label}: pair ${index + 1}: ${a.name} ${ofA.load.requestsPerSecond.toFixed(1)} req/s, ${b.name} ${ofB.load.requestsPerSecond.toFixed(1)} req/s`);
  }
  return { windows, pairRatios };
}

/** [a, b], [b, a], [a, b], … : `windowsPerSubject` pairs. */
function abbaPairs<T>(a: T, b: T, windowsPerSubject: number): [T, T][] {
  return Array.from({ length: windowsPerSubject }, (_, i): [T, T] => (i % 2 === 0 ? [a, b] : [b, a]));
}

export async function measureWindow(subject: WindowSubject, options: AlternatingOptions): Promise<Window> {
  await options.beforeWindow?.(subject);
  const machine = sampleMachine();
  const gateway = sampleProcess(subject.pid);
  const helpers = sampleProcesses({ ...options.helperPids(), 'load generator': process.pid });
  // Samplers stop on failure too: a live interval would keep the harness from exiting.
  const load = await runLoad({ ...subject.load, durationSeconds: options.windowSeconds }).finally(() => {
    gateway.stop();
    helpers.stop();
    machine.stop();
  });
  // Requests cut off by the window's end finish before the other gateway's window starts.
  await settle(load);
  const window = { subject: subject.name, load, usage: gateway.stop(), helpers: helpers.stop(), machineBusyPercent: machine.stop().busyPercent };
  await options.afterWindow?.(subject, window);
  return window;
}

/** Twice the window's p99, kept between 0.25 and 5 s. */
function settle(previous: LoadResult): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(5_000, Math.max(250, 2 * previous.latencyP99Ms))));
}

/** What one subject's windows add up to. */
export interface SubjectTotals {
  /** Summed over the windows; `requestsPerSecond` is all requests over all measured seconds. */
  load: LoadResult;
  /** Peak RSS over all windows, CPU % averaged over them. */
  usage: ProcessUsage;
  helpers: Record<string, ProcessUsage>;
  /** The subject's CPU time per answered request, in ms: less sensitive to a busy machine than req/s. */
  cpuMsPerRequest: number;
  machineBusyPercent: number;
}

/** A subject's table cells: req/s, p50, p99, non-2xx, errors, bad bodies, [peak RSS,] CPU %, CPU ms/request. */
export function totalsCells(totals: SubjectTotals, columns: { peakRss: boolean }): string[] {
  const { load, usage } = totals;
  return [
    load.requestsPerSecond.toFixed(1),
    load.latencyP50Ms.toFixed(1),
    load.latencyP99Ms.toFixed(1),
    String(load.non2xx),
    String(load.errors),
    String(load.mismatches),
    ...(columns.peakRss ? [usage.peakRssMiB.toFixed(0)] : []),
    usage.cpuPercent.toFixed(0),
    totals.cpuMsPerRequest.toFixed(2),
  ];
}

/**
 * Adds up one subject's windows. p50 and p99 are the medians of the windows' own percentiles
 * (autocannon hands out percentiles, not histograms, so they cannot be merged exactly).
 */
export function totalsOf(windows: readonly Window[]): SubjectTotals {
  if (windows.length === 0) throw new Error('no windows to add up');
  const sum = (pick: (window: Window) => number): number => windows.reduce((total, window) => total + pick(window), 0);
  const seconds = sum((w) => w.load.durationSeconds);
  const requests = sum((w) => w.load.totalRequests);
  const cpuSeconds = sum((w) => (w.usage.cpuPercent / 100) * w.load.durationSeconds);
  return {
    load: {
      requestsPerSecond: requests / seconds,
      latencyP50Ms: median(windows.map((w) => w.load.latencyP50Ms)),
      latencyP99Ms: median(windows.map((w) => w.load.latencyP99Ms)),
      totalRequests: requests,
      non2xx: sum((w) => w.load.non2xx),
      errors: sum((w) => w.load.errors),
      mismatches: sum((w) => w.load.mismatches),
      durationSeconds: seconds,
    },
    usage: averageUsage(windows.map((w) => w.usage)),
    helpers: averageHelpers(windows),
    cpuMsPerRequest: (1_000 * cpuSeconds) / requests,
    machineBusyPercent: sum((w) => w.machineBusyPercent) / windows.length,
  };
}

function averageUsage(usages: readonly ProcessUsage[]): ProcessUsage {
  return {
    peakRssMiB: Math.max(...usages.map((u) => u.peakRssMiB)),
    cpuPercent: usages.reduce((total, u) => total + u.cpuPercent, 0) / usages.length,
    samples: usages.reduce((total, u) => total + u.samples, 0),
    rssFirstMiB: usages[0]?.rssFirstMiB ?? Number.NaN,
    rssLastMiB: usages.at(-1)?.rssLastMiB ?? Number.NaN,
  };
}

function averageHelpers(windows: readonly Window[]): Record<string, ProcessUsage> {
  const names = new Set(windows.flatMap((w) => Object.keys(w.helpers)));
  const averaged: Record<string, ProcessUsage> = {};
  for (const name of names) {
    const usages = windows.flatMap((w) => (w.helpers[name] ? [w.helpers[name]] : []));
    averaged[name] = averageUsage(usages);
  }
  return averaged;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
