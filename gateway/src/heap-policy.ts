import { setFlagsFromString } from 'node:v8';
import { readConfig } from '@crossdock/service';
import { z } from 'zod';

/**
 * How far V8 lets the heap grow past what survived the last full GC before it collects again:
 * a factor of 1 + percent / 100. Left to itself V8 picks up to 4× for a process that allocates
 * as fast as the gateway does (every request parses, shapes and serialises whole subgraph
 * answers), and nearly all of that growth is garbage: under the federation benchmark the live
 * heap stayed near 100 MiB while the heap grew past 300 MiB and the process's peak resident
 * memory past 410 MiB. At 2× the peak stayed near 280 MiB for a few more full GCs (incremental
 * and concurrent, a few ms each); 1.5× saved little more and cost ~15 % CPU per request.
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 100;

const schema = z.object({
  GATEWAY_HEAP_GROWING_PERCENT: z.coerce
    .number()
    .int()
    .min(0, 'must be a whole number of percent, 0 (V8 decides) or more')
    .default(DEFAULT_HEAP_GROWING_PERCENT),
});

/** GATEWAY_HEAP_GROWING_PERCENT (default 100; 0 leaves the choice to V8), read once at start. */
export function readHeapGrowingPercent(env: NodeJS.ProcessEnv = process.env): number {
  return readConfig(schema, env).GATEWAY_HEAP_GROWING_PERCENT;
}

/**
 * Sets V8's heap growing factor for this process. V8 reads the flag each time it sizes the heap
 * after a full GC, so setting it at start, before the load, takes effect.
 */
export function applyHeapGrowingPercent(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
