/**
 * closed: calls go through and are counted. open: every call fails at once with a
 * `circuit-open` BackendError. half-open: the open period is over and ONE trial call may go
 * through; it closes the circuit or opens it again.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What /ready and metrics show of a circuit. */
export interface CircuitSnapshot {
  backend: string;
  state: CircuitState;
  /** Outages among the calls in the rolling window; while open, the ones that opened it. */
  failures: number;
  /** Calls in the rolling window that reached a verdict. */
  calls: number;
  /** When the circuit entered its state, UTC ISO-8601. */
  since: string;
  /** The last outage counted, e.g. "erp backend: GET /api/v2/items timed out after 2000 ms". */
  lastError: string | null;
}

/** Called on every state change, e.g. to log it, count it, or wake a worker waiting for the backend. */
export type CircuitStateListener = (backend: string, from: CircuitState, to: CircuitState) => void;

/** The tunable numbers (CIRCUIT_* variables, see resilience-config.ts). */
export interface CircuitSettings {
  /** Opens when at least this share of the calls in the window failed, 0 < rate ≤ 1. Default 0.5. */
  failureRate: number;
  /** ...and the window holds at least this many calls, so two unlucky calls don't open it. Default 5. */
  minimumCalls: number;
  /** The rolling window of calls the rate is computed over. Default 10 000 ms. */
  windowMs: number;
  /** How long an open circuit fails fast before it lets one trial call through. Default 5000 ms. */
  openMs: number;
}

/** 50 % of at least 5 calls in 10 s opens the circuit for 5 s. */
export const DEFAULT_CIRCUIT_SETTINGS: Readonly<CircuitSettings> = { failureRate: 0.5, minimumCalls: 5, windowMs: 10_000, openMs: 5_000 };
