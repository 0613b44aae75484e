export { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
export { DEFAULT_CIRCUIT_SETTINGS, type CircuitSettings, type CircuitSnapshot, type CircuitState, type CircuitStateListener } from './circuit-state';
export { ResilientTransport, type ResilientTransportOptions } from './resilient-transport';
export { resilientConnector, type ResilientConnection, type ResilientConnectorOptions } from './resilient-connector';
export { RESILIENCE_ENV, readResilienceSettings, resilienceSettingsSchema, type ResilienceSettings } from './resilience-config';
export { observeCircuits, type CircuitObserver, type ObservableCircuit } from './circuit-observer';
export { CircuitBoard, type BoardCircuit } from './circuit-board';
