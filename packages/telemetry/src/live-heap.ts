import { constants, PerformanceObserver, type NodeGCPerformanceDetail, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The heap a process really holds: its size in use just after each full (mark-compact) GC. The
 * heap in use between GCs and the resident memory both rise with garbage and with the heap size
 * V8 settles on, so neither tells a leak from a busy process; this gauge does. Flat under steady
 * load: nothing is leaking, whatever the resident memory does. Rising from one full GC to the
 * next under the same load: something holds on to what it should let go.
 *
 * Read when Node reports the GC, a few microtasks after it, so a little of what was allocated
 * since is counted too: compare its trend, not single samples.
 */
export function registerLiveHeapMetrics(registry: Registry): void {
  const live = new Gauge({
    name: 'crossdock_nodejs_heap_live_after_full_gc_bytes',
    help: 'V8 heap in use just after the last full (mark-compact) GC: the live heap. Rising under steady load is a leak; the heap in use between GCs and the RSS are not.',
    registers: [registry],
  });
  const fullGcs = new Counter({ name: 'crossdock_nodejs_full_gc_total', help: 'Full (mark-compact) garbage collections since the process started.', registers: [registry] });
  // An observer is no handle: it never keeps the process alive.
  new PerformanceObserver((list) => {
    const full = list.getEntries().filter(isFullGc).length;
    if (full === 0) return;
    fullGcs.inc(full);
    live.set(getHeapStatistics().used_heap_size);
  }).observe({ entryTypes: ['gc'] });
}

/** A GC entry carries its kind in `detail` (Node ≥ 16), which the entry type does not declare. */
function isFullGc(entry: PerformanceEntry & { detail?: Partial<NodeGCPerformanceDetail> }): boolean {
  return entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
}
