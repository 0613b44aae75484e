import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './repo';

/**
 * How long a service may take to start: a tsx-run service compiles on start, which on a busy
 * 2-core machine running two test files at once (each with a whole stack) can take tens of seconds.
 */
const DEFAULT_START_TIMEOUT_MS = 60_000;

export interface ServiceProcessOptions {
  /** Label for logs and errors, e.g. "gateway". */
  name: string;
  /** TypeScript entry file, relative to the repository root (run with tsx). */
  entry: string;
  /** Environment on top of the current one. Pass PORT-like variables as "0" for a free port. */
  env?: Record<string, string | undefined>;
  /** Extra node flags, e.g. ["--cpu-prof"]. */
  nodeArgs?: string[];
  /** How long to wait for the service to report its port. */
  startTimeoutMs?: number;
  /** Which reported service line to wait for, when a process starts several (default: name). */
  waitFor?: string[];
}

export interface ServiceProcess {
  name: string;
  pid: number;
  /** Ports reported by the process, by service name. */
  ports: Record<string, number>;
  /** Port of the first awaited service. */
  port: number;
  url: string;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
  /** SIGKILL: a crash, for fault drills (no graceful shutdown, nothing flushed). Resolves once it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts a service as a real child process and resolves once it has printed a JSON line
 * `{"service":"<name>","port":<n>}` for every awaited name. Services listen on port 0 in tests
 * and report the port they got, so parallel test files never collide.
 */
export function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const waitFor = options.waitFor ?? [options.name];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', options.entry], {
    cwd: repoRoot(),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const ports: Record<string, number> = {};

  return new Promise((resolve, reject) => {
    const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`${options.name} did not report ${waitFor.join(', ')} within ${startTimeoutMs} ms\n${stderr}`));
    }, startTimeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited before it was ready (code ${code}, signal ${signal})\n${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const report = parseReport(line);
      if (!report) return;
      ports[report.service] = report.port;
      if (!waitFor.every((name) => name in ports)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const port = ports[waitFor[0]!]!;
      resolve({
        name: options.name,
        pid: child.pid!,
        ports,
        port,
        url: `http://127.0.0.1:${port}`,
        stderr: () => stderr,
        stop: () => stopChild(child),
        kill: () => killChild(child),
      });
    });
  });
}

function parseReport(line: string): { service: string; port: number } | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return null;
    const { service, port } = value as Record<string, unknown>; // shape checked below
    return typeof service === 'string' && typeof port === 'number' ? { service, port } : null;
  } catch {
    return null;
  }
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** SIGTERM, then SIGKILL if the process is still there after 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
