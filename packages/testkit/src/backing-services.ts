import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port';
import { repoRoot } from './repo';

export interface BackingService {
  url: string;
  port: number;
  /** Kills the process (SIGKILL: a crash, for fault drills). It stays dead until restart(). */
  kill(): Promise<void>;
  /** Starts it again on the same port (and, for FerretDB, the same data directory). */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  stop(): Promise<void>;
}

/** v1.24.2 with the _id index fix of .ci/build-ferretdb.sh (its comment says why). */
const FERRETDB_BUILD = 'v1.24.2-idindex';

/** Where .ci/build-ferretdb.sh puts the binary (FERRETDB_BIN overrides). */
export function ferretDbBinary(): string {
  return process.env.FERRETDB_BIN ?? join(homedir(), '.cache', 'crossdock', `ferretdb-${FERRETDB_BUILD}`);
}

/** Builds FerretDB from its Go module when the binary is missing (first run on a fresh machine). */
export function ensureFerretDb(): string {
  const binary = ferretDbBinary();
  if (existsSync(binary)) return binary;
  const build = spawnSync('bash', [join(repoRoot(), '.ci', 'build-ferretdb.sh')], { stdio: 'inherit', env: { ...process.env, FERRETDB_BIN: binary } });
  if (build.status !== 0 || !existsSync(binary)) throw new Error(`building FerretDB failed (exit ${build.status}); see the output above`);
  return binary;
}

export interface RedisOptions {
  /**
   * Keep data across restart(): an append-only file (fsync on every write) in a temporary
   * directory, removed by stop(). Default false: nothing persisted.
   */
  persist?: boolean;
}

/** A real redis-server on a free loopback port, with nothing persisted unless asked. */
export async function startRedis(options: RedisOptions = {}): Promise<BackingService> {
  const port = await freePort();
  const dir = options.persist ? mkdtempSync(join(tmpdir(), 'crossdock-redis-')) : null;
  const persistence = dir ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const launch = () => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], { stdio: ['ignore', 'pipe', 'pipe'] });
  return supervise('redis-server', `redis://127.0.0.1:${port}`, port, launch, () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}

export interface FerretDbOptions {
  /**
   * Serve FerretDB's debug handler (Prometheus metrics at `/debug/metrics`, read by the benches)
   * on a second free port. Off by default: one port fewer to race other processes for.
   */
  debugHandler?: boolean;
}

/** A real FerretDB (MongoDB wire protocol, SQLite backend) on a free loopback port. */
export async function startFerretDb(options: FerretDbOptions = {}): Promise<BackingService> {
  const binary = ensureFerretDb();
  const port = await freePort();
  const debugAddr = options.debugHandler ? `127.0.0.1:${await freePort()}` : '-';
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-ferretdb-'));
  const launch = () =>
    spawn(
      binary,
      [
        `--listen-addr=127.0.0.1:${port}`,
        `--debug-addr=${debugAddr}`,
        '--handler=sqlite',
        // FerretDB already runs SQLite in WAL mode; synchronous(normal) then syncs the WAL at
        // checkpoints instead of at every commit. A killed FerretDB (the fault drills) loses
        // nothing committed; only a power cut could, which a test server does not care about.
        // Test and bench servers only: this says nothing about a production database.
        `--sqlite-url=file:${dir}/?_pragma=synchronous(normal)`,
        `--state-dir=${dir}`,
        '--telemetry=disable',
        '--log-level=error',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  return supervise('FerretDB', `mongodb://127.0.0.1:${port}/crossdock`, port, launch, () => rmSync(dir, { recursive: true, force: true }));
}

/** How often a server that exits instead of listening is started again before giving up. */
const LAUNCH_ATTEMPTS = 3;

/**
 * Starts the server and resolves once it listens. One that exits first (a port the kernel has
 * not let go of yet after a kill) is started again, a few times; the error names what it said.
 */
async function listening(name: string, port: number, launch: () => ChildProcess): Promise<ChildProcess> {
  for (let attempt = 1; ; attempt++) {
    const child = launch();
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`exited (code ${code}, signal ${signal})`)));
    const failure = await Promise.race([waitForPort(port, 30_000).then(() => null, (error: unknown) => String(error)), exited]);
    if (failure === null) return child;
    child.kill('SIGKILL');
    if (attempt >= LAUNCH_ATTEMPTS) throw new Error(`${name} on port ${port}: ${failure}\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function supervise(name: string, url: string, port: number, launch: () => ChildProcess, cleanup: () => void): Promise<BackingService> {
  let child = await listening(name, port, launch);
  const kill = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    url,
    port,
    kill: () => kill('SIGKILL'),
    restart: async () => {
      await kill('SIGKILL');
      child = await listening(name, port, launch);
    },
    stop: async () => {
      await kill('SIGTERM');
      cleanup();
    },
  };
}
