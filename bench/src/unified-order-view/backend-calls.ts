import { readSimulatorStats, resetSimulatorStats, SUBGRAPHS, type SubgraphName } from '@crossdock/testkit';

/** Backend calls made during a measured window, divided by the requests sent in it. */
export interface BackendCallsPerRequest {
  total: number;
  /** By backend, then by "<METHOD> <route>" as the simulators count them. */
  byBackend: Record<SubgraphName, { total: number; routes: Record<string, number> }>;
}

/** Zeroes every simulator's request counters, just before a measured window. */
export async function resetBackendCalls(simulatorUrls: Record<SubgraphName, string>): Promise<void> {
  await Promise.all(SUBGRAPHS.map((name) => resetSimulatorStats(simulatorUrls[name])));
}

/**
 * Reads every simulator's counters and divides them by `requests`: the requests sent in the
 * window, including those still in flight when it closed, which call the backends all the same.
 */
export async function readBackendCallsPerRequest(simulatorUrls: Record<SubgraphName, string>, requests: number): Promise<BackendCallsPerRequest> {
  if (requests < 1) throw new Error('no request was sent in the measured window; backend calls per request are undefined');
  const stats = await Promise.all(SUBGRAPHS.map(async (name) => [name, await readSimulatorStats(simulatorUrls[name])] as const));
  const byBackend = Object.fromEntries(
    stats.map(([name, { requests: routes, total }]) => [
      name,
      { total: total / requests, routes: Object.fromEntries(Object.entries(routes).map(([route, count]) => [route, count / requests])) },
    ]),
  ) as BackendCallsPerRequest['byBackend']; // one entry per name of SUBGRAPHS
  return { total: stats.reduce((sum, [, { total }]) => sum + total, 0) / requests, byBackend };
}

/** One line for the notes: "9.00 (erp 4.00: GET /api/v2/items 1.00, …; wms …)". */
export function describeBackendCalls(calls: BackendCallsPerRequest): string {
  const backends = SUBGRAPHS.map((name) => {
    const { total, routes } = calls.byBackend[name];
    const detail = Object.entries(routes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([route, perRequest]) => `${route} ${perRequest.toFixed(2)}`)
      .join(', ');
    return `${name} ${total.toFixed(2)}${detail ? `: ${detail}` : ''}`;
  });
  return `${calls.total.toFixed(2)} (${backends.join('; ')})`;
}
