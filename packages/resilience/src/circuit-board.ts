import type { CircuitState, CircuitStateListener } from './circuit-state';

/** What a board needs of a circuit; CircuitBreaker is one. */
export interface BoardCircuit {
  readonly backend: string;
  state(): { state: CircuitState };
}

/**
 * The circuits of one process by backend name, for work that must follow a backend's health
 * rather than fail against it: the outbox holds a backend's postings while its circuit is open
 * and posts the backlog the moment it closes. Pass `stateChanged` as (part of) each breaker's
 * onStateChange.
 */
export class CircuitBoard {
  private readonly circuits = new Map<string, BoardCircuit>();
  private readonly closedListeners = new Set<(backend: string) => void>();

  /** Adds a circuit; one per backend name (a second replaces the first). */
  add(circuit: BoardCircuit): this {
    this.circuits.set(circuit.backend, circuit);
    return this;
  }

  /** True while the backend's circuit is open (known down); false when closed, half-open or unknown. */
  isOpen(backend: string): boolean {
    return this.circuits.get(backend)?.state().state === 'open';
  }

  /** Calls `listener` each time a circuit closes (its backend is back); returns the unsubscribe. */
  onClosed(listener: (backend: string) => void): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  /** The breakers' onStateChange: tells the listeners of every close. */
  readonly stateChanged: CircuitStateListener = (backend, _from, to) => {
    if (to !== 'closed') return;
    for (const listener of this.closedListeners) listener(backend);
  };
}
