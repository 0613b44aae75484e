/**
 * Operational visibility for every Crossdock process: one Prometheus registry with the hub's
 * named metrics (technical and business), OpenTelemetry tracing over OTLP when configured, and
 * the log redaction list. Low-level libraries (connectors, resilience, exceptions) do not import
 * this package; they offer observer hooks that the services connect here.
 */
export * from './registry';
export * from './exposition-parser';
export * from './bounded-label';
export * from './technical-metrics';
export * from './business-metrics';
export * from './tracing';
export * from './log-redaction';
