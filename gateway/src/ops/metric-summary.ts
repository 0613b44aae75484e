import type { MetricSample } from '@crossdock/telemetry';

/** Samples of one metric, summed over every sample with the same values of `by`. */
export function sumBy(samples: readonly MetricSample[], name: string, by: readonly string[]): Map<string, { labels: Record<string, string>; value: number }> {
  const sums = new Map<string, { labels: Record<string, string>; value: number }>();
  for (const sample of samples) {
    if (sample.name !== name) continue;
    const labels = Object.fromEntries(by.map((label) => [label, sample.labels[label] ?? '']));
    const key = JSON.stringify(labels);
    const sum = sums.get(key);
    if (sum) sum.value += sample.value;
    else sums.set(key, { labels, value: sample.value });
  }
  return sums;
}

/** A histogram's series summed over everything but `by`: counts, sum and cumulative buckets. */
export interface HistogramSummary {
  labels: Record<string, string>;
  count: number;
  sum: number;
  /** Cumulative counts by upper bound, ascending (the last is +Inf). */
  buckets: { le: number; count: number }[];
}

/** The histogram `name` (its _bucket, _sum and _count samples) grouped by the labels `by`. */
export function histogramsBy(samples: readonly MetricSample[], name: string, by: readonly string[]): HistogramSummary[] {
  const counts = sumBy(samples, `${name}_count`, by);
  const sums = sumBy(samples, `${name}_sum`, by);
  const buckets = [...sumBy(samples, `${name}_bucket`, [...by, 'le']).values()];
  return [...counts.entries()].map(([key, { labels, value }]) => {
    const own = buckets
      .filter((bucket) => by.every((label) => bucket.labels[label] === labels[label]))
      .map((bucket) => ({ le: bucket.labels.le === '+Inf' ? Infinity : Number(bucket.labels.le), count: bucket.value }))
      .sort((a, b) => a.le - b.le);
    return { labels, count: value, sum: sums.get(key)?.value ?? 0, buckets: own };
  });
}

/**
 * The q-quantile of a histogram, interpolated linearly inside its bucket as Prometheus's
 * histogram_quantile does; null without observations. Above the last finite bound it answers
 * that bound.
 */
export function quantile(histogram: HistogramSummary, q: number): number | null {
  if (histogram.count === 0) return null;
  const rank = q * histogram.count;
  let lower = 0;
  let below = 0;
  for (const { le, count } of histogram.buckets) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      const inBucket = count - below;
      return inBucket === 0 ? le : lower + ((le - lower) * (rank - below)) / inBucket;
    }
    lower = le;
    below = count;
  }
  return lower;
}

/** Mean of a histogram's observations; null without any. */
export function mean(histogram: HistogramSummary): number | null {
  return histogram.count === 0 ? null : histogram.sum / histogram.count;
}
