import { HttpError, isRecord } from './http-kit';

export const FAULT_MODES = ['none', 'down', 'slow', 'error'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSettings {
  mode: FaultMode;
  /** Extra latency in `slow` mode. */
  latencyMs: number;
  /** Share of requests answered with HTTP 500 in `error` mode, 0..1. */
  errorRate: number;
}

/** Ten minutes: longer than any client timeout, short enough that a typo can't hang a demo. */
const MAX_LATENCY_MS = 600_000;
const DEFAULT_SLOW_MS = 1_000;
const KNOWN_KEYS = new Set(['mode', 'latencyMs', 'errorRate']);

/**
 * The fault switch of CONTRACT.md ("Backend simulators"): operators and tests break a backend
 * on purpose to see the hub degrade. Admin routes are never affected, so the switch can always
 * be turned back.
 */
export class FaultSwitch {
  private current: FaultSettings = { mode: 'none', latencyMs: 0, errorRate: 0 };

  get settings(): FaultSettings {
    return { ...this.current };
  }

  /** Validates a `POST /_admin/fault` body and applies it; throws HttpError 400 on bad input. */
  apply(input: unknown): FaultSettings {
    if (!isRecord(input)) throw new HttpError(400, 'invalid_body', 'the body must be a JSON object');
    const unknown = Object.keys(input).filter((k) => !KNOWN_KEYS.has(k));
    if (unknown.length > 0) throw new HttpError(400, 'invalid_body', `unknown field(s): ${unknown.join(', ')}`);
    const mode = FAULT_MODES.find((m) => m === input.mode);
    if (!mode) throw new HttpError(400, 'invalid_body', `"mode" must be one of ${FAULT_MODES.join(', ')}`);
    const latencyMs = optionalNumber(input.latencyMs, 'latencyMs', 0, MAX_LATENCY_MS);
    const errorRate = optionalNumber(input.errorRate, 'errorRate', 0, 1);
    this.current = {
      mode,
      latencyMs: mode === 'slow' ? (latencyMs ?? DEFAULT_SLOW_MS) : 0,
      errorRate: mode === 'error' ? (errorRate ?? 1) : 0,
    };
    return this.settings;
  }

  get dropsConnections(): boolean {
    return this.current.mode === 'down';
  }

  get extraLatencyMs(): number {
    return this.current.latencyMs;
  }

  /** Rolls the dice for `error` mode. Math.random is fine: faults need not be reproducible. */
  shouldFail(): boolean {
    return this.current.mode === 'error' && Math.random() < this.current.errorRate;
  }
}

function optionalNumber(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new HttpError(400, 'invalid_body', `"${name}" must be a number from ${min} to ${max}`);
  }
  return value;
}
