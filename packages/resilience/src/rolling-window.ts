/** Calls and failures counted over the last `windowMs`. */
export interface WindowTotals {
  calls: number;
  failures: number;
}

interface Bucket {
  /** Which slice of time (`Math.floor(now / bucketMs)`) the counts belong to. */
  slot: number;
  calls: number;
  failures: number;
}

/** Ten slices: the window forgets old calls in tenths, which is smooth enough for a failure rate. */
const BUCKETS = 10;

/**
 * Outcomes of backend calls over a rolling window, in a fixed ring of time slices, so that a
 * backend answering thousands of calls a second costs the same memory as an idle one.
 */
export class RollingWindow {
  private readonly bucketMs: number;
  private readonly buckets: Bucket[];

  constructor(windowMs: number) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / BUCKETS));
    this.buckets = Array.from({ length: BUCKETS }, () => ({ slot: -1, calls: 0, failures: 0 }));
  }

  record(failed: boolean, now: number): void {
    const slot = Math.floor(now / this.bucketMs);
    const bucket = this.buckets[slot % BUCKETS];
    if (!bucket) return; // unreachable: the index is always within the ring
    if (bucket.slot !== slot) Object.assign(bucket, { slot, calls: 0, failures: 0 });
    bucket.calls += 1;
    if (failed) bucket.failures += 1;
  }

  totals(now: number): WindowTotals {
    const current = Math.floor(now / this.bucketMs);
    let calls = 0;
    let failures = 0;
    for (const bucket of this.buckets) {
      if (bucket.slot > current - BUCKETS) {
        calls += bucket.calls;
        failures += bucket.failures;
      }
    }
    return { calls, failures };
  }

  reset(): void {
    for (const bucket of this.buckets) Object.assign(bucket, { slot: -1, calls: 0, failures: 0 });
  }
}
