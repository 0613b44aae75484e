import { runLoad } from '../load';
import { measureWindow, type AlternatingOptions, type Window, type WindowSubject } from '../governance/alternating-windows';

/** Shortest measured window: a run's duration is split into rounds of windows this long or longer. */
const MIN_WINDOW_SECONDS = 5;

/** The rounds, and each window's length, of a run measuring every subject for `durationSeconds`. */
export function roundsOf(durationSeconds: number): { rounds: number; windowSeconds: number } {
  const rounds = Math.max(1, Math.floor(durationSeconds / MIN_WINDOW_SECONDS));
  return { rounds, windowSeconds: Math.max(1, Math.round(durationSeconds / rounds)) };
}

export interface RotatingOptions extends Omit<AlternatingOptions, 'windowsPerSubject'> {
  /** Rounds; every subject gets one window per round. */
  rounds: number;
}

/**
 * Measures every subject in short windows, round after round, each round starting one subject
 * later (a b c, b c a, c a b, …), so that whatever else the machine does falls on all of them
 * alike and no subject always follows the same one. Every subject is warmed up first.
 */
export async function measureRotating(subjects: readonly WindowSubject[], options: RotatingOptions): Promise<Window[]> {
  for (const subject of subjects) {
    if (options.warmupSeconds === 0) break;
    console.log(`${options.label}: ${subject.name}: warming up ${options.warmupSeconds} s`);
    await runLoad({ ...subject.load, durationSeconds: options.warmupSeconds });
  }
  const windows: Window[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]!);
    for (const subject of order) {
      const window = await measureWindow(subject, { ...options, windowsPerSubject: options.rounds });
      windows.push(window);
      console.log(`${options.label}: round ${round + 1}: ${subject.name} ${window.load.requestsPerSecond.toFixed(1)} req/s, p99 ${window.load.latencyP99Ms} ms`);
    }
  }
  return windows;
}
