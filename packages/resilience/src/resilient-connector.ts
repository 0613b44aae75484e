import { JsonHttpClient, type ConnectorOptions } from '@crossdock/connectors';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
import type { ResilienceSettings } from './resilience-config';
import { ResilientTransport } from './resilient-transport';

export interface ResilientConnectorOptions<K>
  extends Omit<ConnectorOptions, 'transport'>, Partial<ResilienceSettings>, Pick<CircuitBreakerOptions, 'consecutiveFailures' | 'onStateChange'> {
  /** The backend's name in errors and circuit reports, e.g. "erp". */
  backend: string;
  /**
   * The connector's cheapest call, e.g. `(erp) => erp.listProducts({ first: 1 })` (the
   * subgraph's readiness call): while the circuit is open it runs every `openMs`, so recovery is
   * noticed without traffic.
   */
  probe?: (connector: K) => Promise<unknown>;
}

/** A connector whose every call goes through its backend's circuit. */
export interface ResilientConnection<K> {
  /** Closing it closes the HTTP pool and stops the circuit's probe. */
  connector: K;
  /** For /ready (`circuit` of the subgraph options) and metrics. */
  circuit: CircuitBreaker;
}

/**
 * Builds a connector over a circuit-broken, read-retrying HTTP client:
 * `const { connector, circuit } = resilientConnector(ErpHttpConnector, { backend: 'erp', baseUrl, timeoutMs, ...settings })`.
 * One circuit per connector: two connectors to the same backend each learn of its outage.
 */
export function resilientConnector<K>(Connector: new (options: ConnectorOptions) => K, options: ResilientConnectorOptions<K>): ResilientConnection<K> {
  const { backend, baseUrl, timeoutMs, connections, probe, onStateChange, retryReads, ...circuitSettings } = options;
  const circuit: CircuitBreaker = new CircuitBreaker({
    ...circuitSettings,
    backend,
    onStateChange,
    // Runs only once the circuit has opened, long after `connector` below exists.
    probe: probe && ((): Promise<unknown> => probe(connector)),
  });
  const client = new JsonHttpClient({ backend, baseUrl, timeoutMs, connections });
  const connector: K = new Connector({ baseUrl, timeoutMs, transport: new ResilientTransport(client, { circuit, retryReads }) });
  return { connector, circuit };
}
