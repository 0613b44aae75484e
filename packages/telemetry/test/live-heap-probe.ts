/**
 * Run by metrics.test.ts in a fresh process with --expose-gc: forces a full GC before, while and
 * after holding ~50 MiB, and prints the live-heap gauge each time as one JSON line.
 */
import { metricsExposition, parseExposition } from '../src';

const gc = (globalThis as { gc?: () => void }).gc;

async function sample(name: string): Promise<number> {
  return parseExposition((await metricsExposition()).body).find((s) => s.name === name)?.value ?? Number.NaN;
}

/** A full GC, resolved once the observer has reported it (GC entries arrive asynchronously). */
async function fullGc(): Promise<void> {
  if (!gc) throw new Error('run with --expose-gc');
  const before = await sample('crossdock_nodejs_full_gc_total');
  gc();
  const deadline = Date.now() + 10_000;
  while ((await sample('crossdock_nodejs_full_gc_total')) <= before) {
    if (Date.now() > deadline) throw new Error('no full GC was reported within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function main(): Promise<void> {
  await fullGc();
  const gcsAtStart = await sample('crossdock_nodejs_full_gc_total');
  const before = await sample('crossdock_nodejs_heap_live_after_full_gc_bytes');
  let held: number[][] | null = Array.from({ length: 64 }, () => Array.from({ length: 100_000 }, (_, i) => i + 0.5)); // ~50 MiB of doubles
  await fullGc();
  const holding = await sample('crossdock_nodejs_heap_live_after_full_gc_bytes');
  if (held.length !== 64) throw new Error('lost the held arrays');
  held = null;
  await fullGc();
  const after = await sample('crossdock_nodejs_heap_live_after_full_gc_bytes');
  const fullGcs = (await sample('crossdock_nodejs_full_gc_total')) - gcsAtStart + 1;
  process.stdout.write(`${JSON.stringify({ before, holding, after, fullGcs })}\n`);
}

void main();
