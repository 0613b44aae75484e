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

const FERRETDB_VERSION = 'v1.24.2';

/** Where .ci/build-ferretdb.sh puts the binary (FERRETDB_BIN overrides). */
export function ferretDbBinary(): string {
  return process.env.FERRETDB_BIN ?? join(homedir(), '.cache', 'crossdock', `ferretdb-${FERRETDB_VERSION}`);
}

/** Builds FerretDB from its Go module when the binary is missing (first run on a fresh machine). */
export function ensureFerretDb(): string {
  const binary = ferretDbBinary();
  if (existsSync(binary)) return binary;
  const build = spawnSync('bash', [join(repoRoot(), '.ci', 'build-ferretdb.sh')], { stdio: 'inherit', env: { ...process.env, FERRETDB_BIN: binary } });
  if (build.status !== 0 || !existsSync(binary)) throw new Error(`building FerretDB failed (exit ${build.status}); see the output above`);
  return binary;
}

/** A real redis-server on a free loopback port, with nothing persisted. */
export async function startRedis(): Promise<BackingService> {
  const port = await freePort();
  const launch = () => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  return supervise(`redis://127.0.0.1:${port}`, port, launch, () => undefined);
}

/** A real FerretDB (MongoDB wire protocol, SQLite backend) on a free loopback port. */
export async function startFerretDb(): Promise<BackingService> {
  const binary = ensureFerretDb();
  const port = await freePort();
  const debugPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-ferretdb-'));
  const launch = () =>
    spawn(
      binary,
      [
        `--listen-addr=127.0.0.1:${port}`,
        `--debug-addr=127.0.0.1:${debugPort}`,
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/`,
        `--state-dir=${dir}`,
        '--telemetry=disable',
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
  return supervise(`mongodb://127.0.0.1:${port}/crossdock`, port, launch, () => rmSync(dir, { recursive: true, force: true }));
}

async function supervise(url: string, port: number, launch: () => ChildProcess, cleanup: () => void): Promise<BackingService> {
  let child = launch();
  await waitForPort(port, 30_000);
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
      child = launch();
      await waitForPort(port, 30_000);
    },
    stop: async () => {
      await kill('SIGTERM');
      cleanup();
    },
  };
}
