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
