import type { CircuitState } from './circuit-state';

/** A circuit as an observer may read it; CircuitBreaker is one. */
export interface ObservableCircuit {
  readonly backend: string;
  state(): { state: CircuitState };
}

/**
 * Watches every circuit breaker of the process (metrics: its state gauge and transitions)
 * without this library depending on a metrics library. Set once at start, before circuits are
 * built: a breaker reports itself when it is constructed.
 */
export interface CircuitObserver {
  created(circuit: ObservableCircuit): void;
  transition(backend: string, from: CircuitState, to: CircuitState): void;
  stopped?(circuit: ObservableCircuit): void;
}

let observer: CircuitObserver | null = null;

/** Sets the process's circuit observer; null removes it. */
export function observeCircuits(next: CircuitObserver | null): void {
  observer = next;
}

/** The observer, for the breaker to report to. */
export function circuitObserver(): CircuitObserver | null {
  return observer;
}
