import { describe, expect, it } from '@jest/globals';
import { inClientSpan, inServerSpan, startTracing, traceHeaders, traceIdsForLog, tracingEnabled } from '../src';

describe('tracing', () => {
  it('costs nothing and propagates nothing without an OTLP endpoint', async () => {
    const tracing = await startTracing({ serviceName: 'test', otlpEndpoint: null });
    expect(tracing.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    const headers = await inServerSpan('GET test', { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }, () => inClientSpan('call', {}, async (h) => h));
    expect(headers).toEqual({});
    expect(traceHeaders()).toEqual({});
    expect(traceIdsForLog()).toEqual({});
  });
  // With an endpoint, spans are exported over OTLP/HTTP, whose exporter loads node:http by a dynamic
  // import that Jest's module sandbox refuses: test/tracing.test.ts proves it on real processes.
});
