import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHubStack, UNIFIED_ORDER_VIEW, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from './support/drill-kit';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

/** An OTLP/HTTP collector stand-in: keeps every span the services export (OTLP JSON). */
function startCollector(): Promise<{ server: Server; url: string; spans: ExportedSpan[] }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      // OTLP JSON: resourceSpans[].{ resource.attributes, scopeSpans[].spans[] }
      const parsed = JSON.parse(body) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: Omit<ExportedSpan, 'service'>[] }[] }[];
      };
      for (const resource of parsed.resourceSpans) {
        const service = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans })));
}

describe('tracing across processes: gateway → subgraph → backend call, over OTLP (real processes)', () => {
  let hub: HubStack;
  let collector: Awaited<ReturnType<typeof startCollector>>;

  beforeAll(async () => {
    collector = await startCollector();
    hub = await startHubStack({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } });
  });

  afterAll(async () => {
    await hub?.stop();
    collector?.server.close();
  });

  it('continues the caller\'s traceparent through the gateway, the subgraph and its backend call', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${hub.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token()}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: '{ warehouses { id name } }' }),
    });
    expect(response.status).toBe(200);
    const trace = await eventually('the spans of the trace exported', async () => {
      const spans = collector.spans.filter((s) => s.traceId === traceId);
      return spans.some((s) => s.service === 'wms' && s.name === 'wms POST') || spans.some((s) => s.service === 'wms' && s.name === 'wms GET') ? spans : null;
    });
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const backendCall = trace.find((s) => s.service === 'wms' && s.name.startsWith('wms '))!;
    // backend call ← wms server span ← gateway's fetch to the subgraph ← gateway server span ← the caller
    const chain: ExportedSpan[] = [backendCall];
    for (let span = byId.get(backendCall.parentSpanId ?? ''); span; span = byId.get(span.parentSpanId ?? '')) chain.push(span);
    // @apollo/gateway adds its own spans (request, execute, fetch) to the active trace as well.
    expect(chain.map((s) => `${s.service}:${s.name}`)).toEqual([
      'wms:wms GET',
      'wms:POST wms',
      'gateway:subgraph wms',
      'gateway:gateway.fetch',
      'gateway:gateway.execute',
      'gateway:gateway.request',
      'gateway:POST gateway',
    ]);
    expect(chain.at(-1)!.parentSpanId).toBe('00f067aa0ba902b7');
  });

  it('keeps batching with tracing on: the ERP gets one request for the four fetches of a plan step, under the first fetch\'s span', async () => {
    const traceId = '5bf92f3577b34da6a3ce929d0e0e4737';
    const response = await fetch(`${hub.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token()}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: UNIFIED_ORDER_VIEW, variables: { first: 20 } }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    const inTrace = () => collector.spans.filter((s) => s.traceId === traceId);
    await eventually('the gateway\'s and the ERP\'s spans exported', async () =>
      inTrace().some((s) => s.service === 'gateway' && s.name === 'POST gateway') && inTrace().some((s) => s.service === 'erp' && s.name === 'POST erp') ? true : null,
    );
    // Every process exports every 500 ms: wait two rounds more, so that a late second request would show.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const fetchSpans = inTrace().filter((s) => s.service === 'gateway' && s.name === 'subgraph erp');
    const erpRequests = inTrace().filter((s) => s.service === 'erp' && s.name === 'POST erp');
    // The plan's second step asks the ERP for orders, customers, order lines and products.
    expect(fetchSpans).toHaveLength(4);
    expect(erpRequests).toHaveLength(1);
    expect(fetchSpans.map((s) => s.spanId)).toContain(erpRequests[0]!.parentSpanId);
  });
});
