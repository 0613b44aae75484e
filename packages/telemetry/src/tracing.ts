import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/** How a process traces; the service's config fills it from OTEL_EXPORTER_OTLP_ENDPOINT. */
export interface TracingOptions {
  /** `service.name` on every span, e.g. "gateway" or "hub" (all-in-one). */
  serviceName: string;
  /** The OTLP/HTTP collector's base URL; spans go to `<endpoint>/v1/traces`. Null: no tracing at all. */
  otlpEndpoint: string | null;
}

/** The started tracing of the process; shutdown() flushes what is buffered. */
export interface Tracing {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

const TRACER_NAME = '@crossdock/telemetry';
/** The registered SDK provider, as far as this module needs it. */
let provider: { shutdown(): Promise<void> } | null = null;

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured: spans are batched and
 * exported over OTLP/HTTP, and W3C `traceparent` is read from incoming requests and written on
 * outgoing ones. Without an endpoint nothing is registered, and every helper below runs its
 * callback directly: tracing costs nothing when it is not wanted. Once per process (all-in-one
 * starts it once for every service it runs); a second call returns the first one's tracing.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (provider) return { enabled: true, shutdown: () => provider?.shutdown() ?? Promise.resolve() };
  if (options.otlpEndpoint === null) return { enabled: false, shutdown: async () => undefined };
  const { registerTracerProvider } = await import('./tracing-sdk.js');
  const started = registerTracerProvider(options.serviceName, options.otlpEndpoint);
  provider = started;
  return {
    enabled: true,
    shutdown: async () => {
      // A collector that is gone must not make a clean stop look like a failure.
      await started.shutdown().catch(() => undefined);
      trace.disable();
      propagation.disable();
      context.disable();
      provider = null;
    },
  };
}

/** True once startTracing registered a provider in this process. */
export function tracingEnabled(): boolean {
  return provider !== null;
}

/**
 * Runs `handle` in a SERVER span continuing the trace of the incoming request's `traceparent`
 * (a new trace when it has none). Without tracing, just runs it.
 */
export async function inServerSpan<T>(name: string, headers: Readonly<Record<string, string | string[] | undefined>>, handle: () => Promise<T>): Promise<T> {
  if (!provider) return handle();
  const parent = propagation.extract(context.active(), headers, {
    get: (carrier, key) => carrier[key],
    keys: (carrier) => Object.keys(carrier),
  });
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { kind: SpanKind.SERVER }, parent, (span) => ended(span, handle));
}

/**
 * Runs `call` in a CLIENT span (a backend or subgraph call) and hands it the headers that carry
 * the span's context to the callee (`traceparent`). Without tracing: no span, no headers.
 */
export async function inClientSpan<T>(name: string, attributes: Attributes, call: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  if (!provider) return call({});
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, (span) =>
    ended(span, () => call(traceHeaders())),
  );
}

/** The W3C trace-context headers of the active span, e.g. to put on an event; {} without tracing. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (provider) propagation.inject(context.active(), carrier);
  return carrier;
}

/** For log lines: the active span's trace and span ids; {} when none. */
export function traceIdsForLog(): { trace_id?: string; span_id?: string } {
  if (!provider) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

async function ended<T>(span: Span, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
