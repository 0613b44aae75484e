/** Due times closer together than this share one wake-up. */
const GRANULARITY_MS = 50;
/** Due times remembered at most; later ones are left to the loop's own poll. */
const MAX_PENDING = 1_000;

/**
 * Wakes a background loop when work this process scheduled falls due (a retry after back-off),
 * so the loop's own poll can be slow: it is then only the safety net for work other replicas
 * or a crash left. One timer at a time, for the soonest time remembered; not keeping the
 * process alive.
 */
export class DueWakeup {
  /** Pending due times (ms), soonest first. */
  private pending: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(private readonly wake: () => void) {}

  /** Wake the loop at `when` (at once when past). */
  at(when: Date | string): void {
    const at = Math.ceil(new Date(when).getTime() / GRANULARITY_MS) * GRANULARITY_MS;
    if (Number.isNaN(at) || this.pending.includes(at)) return;
    const index = this.pending.findIndex((time) => time > at);
    this.pending.splice(index < 0 ? this.pending.length : index, 0, at);
    if (this.pending.length > MAX_PENDING) this.pending.length = MAX_PENDING;
    this.arm();
  }

  /** Forgets the pending wake-ups (the loop stopped; a wake of a stopped loop does nothing anyway). */
  clear(): void {
    this.pending = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private arm(): void {
    const next = this.pending[0];
    if (next === undefined || next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }

  /**
   * Wakes the loop for the times now due. A timer can fire a millisecond before Date.now() reaches
   * its time (timers run on another clock): then nothing is due yet, and it is armed again instead
   * of waking the loop twice, early and then on time.
   */
  private fire(): void {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let due = false;
    while (this.pending[0] !== undefined && this.pending[0] <= now) {
      this.pending.shift();
      due = true;
    }
    if (due) this.wake();
    this.arm();
  }
}
