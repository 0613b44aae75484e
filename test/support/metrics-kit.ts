import { parseExposition, type MetricSample } from '@crossdock/telemetry';

/** Every sample a service's /metrics answers right now. */
export async function scrape(serviceUrl: string): Promise<MetricSample[]> {
  const response = await fetch(`${serviceUrl}/metrics`);
  if (!response.ok) throw new Error(`GET ${serviceUrl}/metrics answered ${response.status}`);
  return parseExposition(await response.text());
}

/** The value of the sample `name` whose labels include `labels`, summed over the matches; 0 when none. */
export function sampleValue(samples: readonly MetricSample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Reads one sample of a service's /metrics. */
export async function metricAt(serviceUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  return sampleValue(await scrape(serviceUrl), name, labels);
}
