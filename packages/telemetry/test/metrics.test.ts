import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { BoundedLabel, metricsExposition, observeBackendCall, observeOperation, OTHER_LABEL_VALUE, parseExposition, watchCircuit } from '../src';

describe('metrics', () => {
  it('keeps client-chosen label values bounded: later names count as "other"', () => {
    const label = new BoundedLabel(2);
    expect([label.value('A'), label.value('B'), label.value('C'), label.value('A'), label.value(null)]).toEqual(['A', 'B', OTHER_LABEL_VALUE, 'A', 'none']);
  });

  it('exposes what was observed in Prometheus text, which the console reads back', async () => {
    observeOperation('Orders "first"', 'portal', 'ok', 0.02);
    observeBackendCall('erp', 'GET', 'timeout', 2);
    let state: 'closed' | 'open' = 'closed';
    watchCircuit({ backend: 'erp', state: () => ({ state }) });
    state = 'open';
    const samples = parseExposition((await metricsExposition()).body);
    const one = (name: string, labels: Record<string, string>) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);
    expect(one('crossdock_graphql_operation_duration_seconds_count', { operation: 'Orders "first"', client_class: 'portal', outcome: 'ok' })).toEqual([1]);
    expect(one('crossdock_graphql_operation_duration_seconds_bucket', { operation: 'Orders "first"', le: '0.025' })).toEqual([1]);
    expect(one('crossdock_backend_call_errors_total', { backend: 'erp', kind: 'timeout' })).toEqual([1]);
    // Read at scrape time: the state the circuit is in now.
    expect(one('crossdock_circuit_state', { backend: 'erp' })).toEqual([2]);
    expect(one('crossdock_process_info', {})).toEqual([1]);
  });

  it('tells the live heap after each full GC: it rises by what is held, and falls back once it is let go', async () => {
    const fullGc = forcedFullGc();
    const sample = async (name: string) => {
      const found = parseExposition((await metricsExposition()).body).find((s) => s.name === name);
      if (!found) throw new Error(`${name} is not exposed`);
      return found.value;
    };
    await fullGc();
    const before = await sample('crossdock_nodejs_heap_live_after_full_gc_bytes');
    const gcsBefore = await sample('crossdock_nodejs_full_gc_total');
    let held: number[][] | null = Array.from({ length: 64 }, () => Array.from({ length: 100_000 }, (_, i) => i + 0.5)); // ~50 MiB of doubles
    await fullGc();
    const holding = await sample('crossdock_nodejs_heap_live_after_full_gc_bytes');
    expect(held.length).toBe(64);
    held = null;
    await fullGc();
    const after = await sample('crossdock_nodejs_heap_live_after_full_gc_bytes');
    expect(await sample('crossdock_nodejs_full_gc_total')).toBeGreaterThanOrEqual(gcsBefore + 2);
    expect(holding - before).toBeGreaterThan(40 * 1024 * 1024);
    expect(holding - after).toBeGreaterThan(40 * 1024 * 1024);
  });
});

/**
 * A full GC on demand (the test process runs without --expose-gc), resolved once Node has reported
 * it to the observer. GC entries arrive asynchronously (later on a busy machine), and a GC V8 ran
 * by itself just before may be reported in between: so this waits until the count has gone up
 * and then stayed put for a while, which puts the gauge's last reading after the forced GC.
 */
function forcedFullGc(): () => Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void; // V8's gc(), exposed by the flag above
  const fullGcs = async () => parseExposition((await metricsExposition()).body).find((s) => s.name === 'crossdock_nodejs_full_gc_total')?.value ?? 0;
  return async () => {
    const before = await fullGcs();
    gc();
    const deadline = Date.now() + 10_000;
    let last = before;
    let stableSince = Date.now();
    for (;;) {
      const now = await fullGcs();
      if (now !== last) [last, stableSince] = [now, Date.now()];
      if (last > before && Date.now() - stableSince >= 200) return;
      if (Date.now() > deadline) throw new Error('no full GC was reported within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
}
