import { randomUUID } from 'node:crypto';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { registerLiveHeapMetrics } from './live-heap';

/** This process among all that serve metrics; the ops console reads each process once by it. */
export const PROCESS_INSTANCE = randomUUID();

/**
 * The process's one Prometheus registry. Every metric of the hub lives here, so one `/metrics`
 * answers for everything the process runs (in all-in-one, the gateway and the four subgraphs
 * share it, and every service's `/metrics` shows the same registry). Created on first use, with
 * Node's default process metrics (CPU, memory, event-loop lag, GC) and the live heap after each
 * full GC (live-heap.ts).
 */
let registry: Registry | null = null;

export function hubRegistry(): Registry {
  if (registry) return registry;
  registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'crossdock_' });
  registerLiveHeapMetrics(registry);
  // In all-in-one every service's /metrics is this one registry: the instance tells them apart.
  new Gauge({ name: 'crossdock_process_info', help: 'Always 1; `instance` names the process.', labelNames: ['instance'], registers: [registry] }).set({ instance: PROCESS_INSTANCE }, 1);
  return registry;
}

/** What `/metrics` answers: the registry in Prometheus text format. */
export async function metricsExposition(): Promise<{ contentType: string; body: string }> {
  const target = hubRegistry();
  return { contentType: target.contentType, body: await target.metrics() };
}
