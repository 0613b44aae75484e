import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * The OpenTelemetry SDK with its OTLP/HTTP exporter, registered globally (AsyncLocalStorage
 * context, W3C trace-context propagator). Loaded only when tracing is configured: the SDK and
 * exporter cost every process start a noticeable moment, which a process without tracing skips.
 */
export function registerTracerProvider(serviceName: string, otlpEndpoint: string): NodeTracerProvider {
  const exporter = new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
  });
  provider.register();
  return provider;
}
