import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { BackendError } from '@crossdock/connectors';
import { DEFAULT_CIRCUIT_SETTINGS, type CircuitSettings, type CircuitSnapshot, type CircuitState, type CircuitStateListener } from './circuit-state';
import { circuitObserver } from './circuit-observer';
import { RollingWindow } from './rolling-window';

/** How to build a breaker; every number defaults to DEFAULT_CIRCUIT_SETTINGS. */
export interface CircuitBreakerOptions extends Partial<CircuitSettings> {
  /** The backend's name in errors and reports, e.g. "erp". */
  backend: string;
  /**
   * Opens after this many outages in a row, whatever the window says: a backend called once every
   * few seconds never fills the window, yet five timeouts in a row mean it is down. Default: minimumCalls.
   */
  consecutiveFailures?: number;
  /**
   * A cheap call to the backend (typically the subgraph's readiness call through the same
   * connector). When given, it runs as the trial call each time the open period ends, so the
   * circuit closes within about `openMs` of the backend's return even when no traffic arrives
   * (the outbox waits for exactly that). Without it, the next real call is the trial.
   */
  probe?: () => Promise<unknown>;
  onStateChange?: CircuitStateListener;
}

/** What the caller's outcome says about the backend's health. */
type Verdict = 'success' | 'failure' | 'unknown';

/** A call admitted by the breaker; `generation` tells whether the state changed while it ran. */
interface Ticket {
  trial: boolean;
  generation: number;
}

/** The outages a circuit counts; anything the backend answered, even a 4xx, proves it is up. */
const OUTAGE_KINDS: ReadonlySet<string> = new Set(['reset', 'unavailable', 'timeout', 'server-error']);

/** Marks the calls a background probe makes, so they pass the breaker that is waiting for them. */
const probing = new AsyncLocalStorage<CircuitBreaker>();

/**
 * A circuit breaker for one backend. `run` wraps every call to it; while the backend is known to
 * be down, calls fail immediately with BackendError kind `circuit-open` instead of each spending
 * a timeout and a socket on it. Only outages (reset, unavailable, timeout, 5xx) count as failures:
 * a 4xx is the caller's problem and proves the backend answers.
 */
export class CircuitBreaker {
  readonly backend: string;
  private readonly settings: CircuitSettings & { consecutiveFailures: number };
  private readonly probe: (() => Promise<unknown>) | undefined;
  private readonly onStateChange: CircuitStateListener | undefined;
  private readonly window: RollingWindow;
  private current: CircuitState = 'closed';
  private since = new Date();
  private openedAt = 0;
  private generation = 0;
  private consecutive = 0;
  private trialInFlight = false;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: CircuitBreakerOptions) {
    const settings: CircuitSettings = {
      failureRate: options.failureRate ?? DEFAULT_CIRCUIT_SETTINGS.failureRate,
      minimumCalls: options.minimumCalls ?? DEFAULT_CIRCUIT_SETTINGS.minimumCalls,
      windowMs: options.windowMs ?? DEFAULT_CIRCUIT_SETTINGS.windowMs,
      openMs: options.openMs ?? DEFAULT_CIRCUIT_SETTINGS.openMs,
    };
    if (!(settings.failureRate > 0 && settings.failureRate <= 1)) throw new RangeError(`failureRate must be above 0 and at most 1, got ${settings.failureRate}`);
    for (const name of ['minimumCalls', 'windowMs', 'openMs'] as const) {
      if (!Number.isInteger(settings[name]) || settings[name] < 1) throw new RangeError(`${name} must be a positive integer, got ${settings[name]}`);
    }
    const consecutiveFailures = options.consecutiveFailures ?? settings.minimumCalls;
    if (!Number.isInteger(consecutiveFailures) || consecutiveFailures < 1) throw new RangeError(`consecutiveFailures must be a positive integer, got ${consecutiveFailures}`);
    this.backend = options.backend;
    this.settings = { ...settings, consecutiveFailures };
    this.probe = options.probe;
    this.onStateChange = options.onStateChange;
    this.window = new RollingWindow(settings.windowMs);
    circuitObserver()?.created(this);
  }

  /** The circuit as it is now. */
  state(): CircuitSnapshot {
    const { calls, failures } = this.window.totals(performance.now());
    return { backend: this.backend, state: this.current, failures, calls, since: this.since.toISOString(), lastError: this.lastError };
  }

  /** Runs one backend call through the circuit: fails fast while open, counts its outcome while closed. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    // The background probe reaches the backend through the same connector, so through this
    // breaker: its calls must pass while every other call still fails fast.
    if (probing.getStore() === this) return call();
    const ticket = this.admit();
    let result: T;
    try {
      result = await call();
    } catch (error) {
      this.settle(ticket, verdictOn(error), error);
      throw error;
    }
    this.settle(ticket, 'success');
    return result;
  }

  /** Stops the background probe (on shutdown). Calls still work; an open circuit then waits for a call to try. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    circuitObserver()?.stopped?.(this);
  }

  private admit(): Ticket {
    // The timer normally moves open → half-open; this covers a stopped or late timer.
    if (this.current === 'open' && performance.now() - this.openedAt >= this.settings.openMs) this.transition('half-open');
    if (this.current === 'closed') return { trial: false, generation: this.generation };
    if (this.current === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return { trial: true, generation: this.generation };
    }
    const waiting = this.current === 'open' ? 'failing fast' : 'a trial call is under way';
    throw new BackendError({
      backend: this.backend,
      kind: 'circuit-open',
      message: `circuit ${this.current} since ${this.since.toISOString()}, ${waiting} (last failure: ${this.lastError ?? 'none'})`,
    });
  }

  private settle(ticket: Ticket, verdict: Verdict, error?: unknown): void {
    if (ticket.trial) {
      this.trialInFlight = false;
      if (verdict === 'success') this.close();
      else if (verdict === 'failure') this.open(error);
      // The caller gave up before the backend said anything: the next call or probe is the trial.
      else this.scheduleTrial();
      return;
    }
    // A call that started before the circuit last changed tells nothing about its new state.
    if (ticket.generation !== this.generation || verdict === 'unknown') return;
    const now = performance.now();
    this.window.record(verdict === 'failure', now);
    if (verdict === 'success') {
      this.consecutive = 0;
      return;
    }
    this.consecutive += 1;
    this.lastError = describe(error);
    if (this.shouldOpen(now)) this.open();
  }

  private shouldOpen(now: number): boolean {
    if (this.consecutive >= this.settings.consecutiveFailures) return true;
    const { calls, failures } = this.window.totals(now);
    return calls >= this.settings.minimumCalls && failures / calls >= this.settings.failureRate;
  }

  private open(error?: unknown): void {
    if (error !== undefined) this.lastError = describe(error);
    this.openedAt = performance.now();
    this.transition('open');
    this.scheduleTrial();
  }

  private close(): void {
    clearTimeout(this.timer);
    // A fresh start: the outages that opened it must not count against the recovered backend.
    this.window.reset();
    this.consecutive = 0;
    this.transition('closed');
  }

  private scheduleTrial(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const wait = Math.max(0, this.settings.openMs - (performance.now() - this.openedAt));
    this.timer = setTimeout(() => void this.trialByProbe(), wait);
    // A circuit waiting for its backend must not keep a finished process alive.
    this.timer.unref();
  }

  /** End of the open period: half-open, and with a probe, the probe is the trial. */
  private async trialByProbe(): Promise<void> {
    if (this.stopped || this.current === 'closed' || this.trialInFlight) return;
    this.transition('half-open');
    const probe = this.probe;
    if (!probe) return;
    this.trialInFlight = true;
    let verdict: Verdict = 'success';
    let failure: unknown;
    try {
      await probing.run(this, probe);
    } catch (error) {
      verdict = verdictOn(error);
      failure = error;
    }
    this.trialInFlight = false;
    if (this.stopped) return;
    // A probe that fails for a reason other than the backend (a bug) proves nothing: stay open.
    if (verdict === 'success') this.close();
    else this.open(failure);
  }

  private transition(to: CircuitState): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.since = new Date();
    this.generation += 1;
    try {
      circuitObserver()?.transition(this.backend, from, to);
    } catch {
      // A broken metrics sink must not change what the breaker decides, nor silence the listener.
    }
    try {
      this.onStateChange?.(this.backend, from, to);
    } catch {
      // A broken listener (a log or metrics sink) must not change what the breaker decides.
    }
  }
}

function verdictOn(error: unknown): Verdict {
  // Not a backend's answer at all (the caller aborted, a bug) or another breaker's fast failure.
  if (!(error instanceof BackendError) || error.kind === 'circuit-open') return 'unknown';
  return OUTAGE_KINDS.has(error.kind) ? 'failure' : 'success';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

