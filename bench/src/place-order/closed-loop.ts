import { sampleProcess, sampleProcesses, type LoadResult, type ProcessUsage } from '../load';
import { sampleMachine, type MachineUsage } from '../machine';
import { percentile } from '../percentile';

/** What a closed loop did: calls completed, those that counted (reserved, stored), errors. */
export interface LoopRun {
  completed: number;
  counted: number;
  errors: number;
  /** Stopped before its time because `maxCalls` calls had begun. */
  capped: boolean;
  elapsedSeconds: number;
  firstError: string | null;
}

/**
 * `connections` workers, each calling `call(n)` (n counts the calls begun) again as soon as the
 * last one returned, for `seconds` or until `maxCalls` have begun; `call` resolves true when
 * the call counts. Latencies in ms into `latencies` when given (room for maxCalls + connections).
 */
export async function closedLoop(call: (n: number) => Promise<boolean>, connections: number, seconds: number, maxCalls: number, latencies: Float64Array | null): Promise<LoopRun> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const run: LoopRun = { completed: 0, counted: 0, errors: 0, capped: false, elapsedSeconds: 0, firstError: null };
  let begun = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      if (begun >= maxCalls) {
        run.capped = true;
        return;
      }
      const n = begun++;
      const before = performance.now();
      try {
        if (await call(n)) run.counted += 1;
      } catch (error) {
        run.errors += 1;
        run.firstError ??= error instanceof Error ? error.message : String(error);
      }
      if (latencies) latencies[run.completed] = performance.now() - before;
      run.completed += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  run.elapsedSeconds = (performance.now() - started) / 1000;
  return run;
}

/** A step-alone row's measured window, in the load harness's terms, and whether the cap ended it early. */
export interface StepResult {
  load: LoadResult;
  /** Calls at which the window stopped before its duration ran out, if it did. */
  cappedAt: number | null;
  /** The first error a call threw, if any. */
  firstError: string | null;
  /** This process, which runs the step, over the measured window. */
  usage: ProcessUsage;
  helpers: Record<string, ProcessUsage>;
  machine: MachineUsage;
}

/**
 * The measured window of a step-alone row: closedLoop over `call`, with this process,
 * `helperPids` (by name) and the machine sampled meanwhile. Calls that neither count nor throw
 * are mismatches (a reservation refused).
 */
export async function measureStep(
  call: (n: number) => Promise<boolean>,
  settings: { connections: number; durationSeconds: number; helperPids: Record<string, number> },
  maxCalls: number,
): Promise<StepResult> {
  const latencies = new Float64Array(maxCalls + settings.connections);
  const benchSampler = sampleProcess(process.pid);
  const helperSamplers = sampleProcesses(settings.helperPids);
  const machineSampler = sampleMachine();
  const run = await closedLoop(call, settings.connections, settings.durationSeconds, maxCalls, latencies).finally(() => {
    benchSampler.stop();
    helperSamplers.stop();
    machineSampler.stop();
  });
  const sorted = latencies.subarray(0, run.completed).sort();
  return {
    load: {
      requestsPerSecond: run.counted / run.elapsedSeconds,
      latencyP50Ms: percentile(sorted, 0.5),
      latencyP99Ms: percentile(sorted, 0.99),
      totalRequests: run.completed,
      non2xx: 0,
      errors: run.errors,
      mismatches: run.completed - run.errors - run.counted,
      durationSeconds: run.elapsedSeconds,
    },
    cappedAt: run.capped ? run.completed : null,
    firstError: run.firstError,
    usage: benchSampler.stop(),
    helpers: helperSamplers.stop(),
    machine: machineSampler.stop(),
  };
}
