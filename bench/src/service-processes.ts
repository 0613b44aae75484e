import { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from '@crossdock/testkit';

/** Every process started through {@link startTrackedProcess} and not stopped yet. */
const running = new Set<ServiceProcess>();

/**
 * `startServiceProcess`, remembered until stopped, so that a failing or interrupted run can still
 * stop every child it started ({@link stopAllProcesses}, {@link killAllProcessesNow}).
 */
export async function startTrackedProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const started = await startServiceProcess(options);
  running.add(started);
  return {
    ...started,
    stop: async () => {
      running.delete(started);
      await started.stop();
    },
  };
}

/** Stops every tracked process (SIGTERM, then SIGKILL after 5 s). */
export async function stopAllProcesses(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.all(all.map((child) => child.stop()));
}

/** SIGKILLs every tracked process at once; for `process.on('exit')`, where nothing async runs. */
export function killAllProcessesNow(): void {
  for (const child of running) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}
