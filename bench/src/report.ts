import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MachineFacts } from './machine';
import type { Measurement, SuiteOptions, SuiteResult } from './suites';

/** Where a run happened and how it was started; printed above every table. */
export interface RunContext {
  date: Date;
  machine: MachineFacts;
  /** The exact command line that produced the numbers. */
  command: string;
  options: SuiteOptions;
}

/** The suite's result as a markdown table, one row per subject. */
export function renderTable(result: SuiteResult): string {
  if (result.table) return markdownTable(result.table.headers, result.table.rows);
  const reference = result.ratioOf ? requestsPerSecond(result.measurements, result.ratioOf) : undefined;
  const named = result.headings ?? {};
  const headers = [named.subject ?? 'Gateway', named.rate ?? 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', named.badBodies ?? 'bad bodies', 'peak RSS MiB', 'CPU %'];
  if (result.ratioOf) headers.push(`${result.ratioOf} req/s ÷ this`);
  const rows = result.measurements.map((measurement) => {
    const { outcome } = measurement;
    if (outcome.kind !== 'measured') {
      const cells = [measurement.subject, outcome.kind, ...headers.slice(2).map(() => '—')];
      return cells;
    }
    const { load, usage } = outcome;
    const cells = [
      measurement.subject,
      load.requestsPerSecond.toFixed(1),
      latency(load.latencyP50Ms),
      latency(load.latencyP99Ms),
      String(load.non2xx),
      String(load.errors),
      String(load.mismatches),
      usage.peakRssMiB.toFixed(0),
      usage.cpuPercent.toFixed(0),
    ];
    if (result.ratioOf) {
      cells.push(reference === undefined ? '—' : `${(reference / load.requestsPerSecond).toFixed(2)}×`);
    }
    return cells;
  });
  return [headers, headers.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Lines under the table: why rows were skipped or failed, helper processes, the suite's notes. */
export function renderNotes(result: SuiteResult): string[] {
  const lines: string[] = [];
  for (const { subject, outcome } of result.measurements) {
    if (outcome.kind === 'skipped' || outcome.kind === 'failed') lines.push(`${subject} ${outcome.kind}: ${outcome.reason}`);
    if (outcome.kind === 'measured') {
      for (const [helper, usage] of Object.entries(outcome.helpers ?? {})) {
        lines.push(`${helper} during ${subject}: CPU ${usage.cpuPercent.toFixed(0)} %, peak RSS ${usage.peakRssMiB.toFixed(0)} MiB`);
      }
    }
  }
  return [...lines, ...result.notes];
}

/** The whole docs section of one suite, between its markers. */
export function renderSection(result: SuiteResult, context: RunContext): string {
  const { machine, options } = context;
  return [
    startMarker(result.suite),
    `## ${result.title}`,
    '',
    result.description,
    '',
    `- Date: ${context.date.toISOString()}`,
    `- Machine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM, ${machine.kernel}, Node ${machine.node}`,
    `- Command: \`${context.command}\``,
    `- Load: ${result.loadDescription ?? `autocannon, ${options.connections} connections, ${options.warmupSeconds} s warm-up then ${options.durationSeconds} s measured per gateway`}`,
    '',
    renderTable(result),
    '',
    ...renderNotes(result).map((line) => `- ${line}`),
    endMarker(result.suite),
  ].join('\n');
}

/**
 * Puts a suite's section into the markdown file at `path`: replaces the text between its markers
 * when present, appends it otherwise, and creates the file when missing. Other suites' sections
 * are left byte for byte as they were.
 */
export function writeSection(path: string, suite: string, section: string): void {
  const header = '# Benchmarks\n\nWritten by `npm run bench` (bench/src/run.ts). Each suite rewrites only its own section.\n';
  const current = existsSync(path) ? readFileSync(path, 'utf8') : header;
  const start = current.indexOf(startMarker(suite));
  const end = current.indexOf(endMarker(suite));
  let next: string;
  if (start !== -1 && end > start) {
    next = current.slice(0, start) + section + current.slice(end + endMarker(suite).length);
  } else {
    next = `${current.trimEnd()}\n\n${section}\n`;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, next);
}

function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [headers, headers.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A latency in ms; "—" when the window had no answer to take it from. */
function latency(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(1) : '—';
}

function requestsPerSecond(measurements: readonly Measurement[], subject: string): number | undefined {
  const found = measurements.find((measurement) => measurement.subject === subject);
  return found?.outcome.kind === 'measured' ? found.outcome.load.requestsPerSecond : undefined;
}

function startMarker(suite: string): string {
  return `<!-- suite:${suite} -->`;
}

function endMarker(suite: string): string {
  return `<!-- /suite:${suite} -->`;
}
