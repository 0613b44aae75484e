import { parseExposition } from '@crossdock/telemetry';

/** The live heap a Crossdock process reported after its full GCs in a window (its /metrics). */
export interface LiveHeapTrend {
  /** MiB in use just after each full GC seen, in order (one value per scrape that saw a new one). */
  afterFullGcMiB: number[];
  /** Full GCs in the window. */
  fullGcs: number;
}

const LIVE = 'crossdock_nodejs_heap_live_after_full_gc_bytes';
const FULL_GCS = 'crossdock_nodejs_full_gc_total';

/**
 * Scrapes a Crossdock service's `/metrics` every `intervalMs` for the live heap after its last
 * full GC (packages/telemetry's live-heap.ts): flat from the first full GC to the last under a
 * steady load means nothing leaks, whatever the resident memory does while V8 sizes its heap.
 * A failed scrape is skipped (the next one reads the same gauge).
 */
export function sampleLiveHeap(serviceUrl: string, intervalMs = 2_000): { stop(): Promise<LiveHeapTrend> } {
  const afterFullGcMiB: number[] = [];
  let firstCount: number | null = null;
  let lastCount: number | null = null;
  const scrape = async (): Promise<void> => {
    try {
      const samples = parseExposition(await (await fetch(`${serviceUrl}/metrics`)).text());
      const count = samples.find((s) => s.name === FULL_GCS)?.value;
      const live = samples.find((s) => s.name === LIVE)?.value;
      if (count === undefined || live === undefined) return;
      firstCount ??= count;
      if (lastCount !== null && count > lastCount) afterFullGcMiB.push(live / 1_048_576);
      lastCount = count;
    } catch {
      // the next scrape reads the same gauge
    }
  };
  let pending = scrape();
  const timer = setInterval(() => {
    pending = pending.then(scrape);
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      return { afterFullGcMiB, fullGcs: firstCount === null || lastCount === null ? 0 : lastCount - firstCount };
    },
  };
}
