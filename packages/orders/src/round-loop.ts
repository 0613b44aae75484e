/** Options of RoundLoop. */
export interface RoundLoopOptions {
  /** One round of work; resolves true when more may be waiting, so the next round follows at once. */
  round: () => Promise<boolean>;
  /** Pause before the next round when the last one found no more work. */
  intervalMs: number;
  /** Pause before the first round (default 0). */
  firstDelayMs?: number;
}

/**
 * A background worker's loop: runs `round` after `firstDelayMs`, then every `intervalMs`, or at
 * once again while a round says more may be waiting; wake() asks for a round now (after the one in
 * flight). stop() waits for the round in flight, so nothing is left half-done by this process.
 * A round must handle its own errors: one that rejects ends the loop's schedule.
 */
export class RoundLoop {
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private wakeRequested = false;

  constructor(private readonly options: RoundLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.options.firstDelayMs ?? 0);
  }

  /** A round soon: at once when idle, right after the round in flight otherwise; nothing when stopped. */
  wake(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.wakeRequested = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inFlight = this.options.round().then((more) => {
        this.inFlight = null;
        const again = more || this.wakeRequested;
        this.wakeRequested = false;
        if (this.running) this.schedule(again ? 0 : this.options.intervalMs);
      });
    }, delayMs);
  }
}
