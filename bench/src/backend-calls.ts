import { readSimulatorStats, resetSimulatorStats, SUBGRAPHS, type SimulatorStats, type SubgraphName } from '@crossdock/testkit';

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

/** Every simulator's counters as read, by backend; {@link backendCallsPer} divides them. */
export type BackendCallCounts = readonly (readonly [SubgraphName, SimulatorStats])[];

/** Reads every simulator's request counters. */
export async function readBackendCalls(simulatorUrls: Record<SubgraphName, string>): Promise<BackendCallCounts> {
  return Promise.all(SUBGRAPHS.map(async (name) => [name, await readSimulatorStats(simulatorUrls[name])] as const));
}

/** The counters of several windows, added up. */
export function addBackendCalls(windows: readonly BackendCallCounts[]): BackendCallCounts {
  return SUBGRAPHS.map((name) => {
    const routes: Record<string, number> = {};
    let total = 0;
    for (const counts of windows) {
      for (const [backend, stats] of counts) {
        if (backend !== name) continue;
        total += stats.total;
        for (const [route, count] of Object.entries(stats.requests)) routes[route] = (routes[route] ?? 0) + count;
      }
    }
    return [name, { total, requests: routes }] as const;
  });
}

/** Divides counters by `divisor`: the requests (or orders) they were spent on. */
export function backendCallsPer(stats: BackendCallCounts, divisor: number): BackendCallsPerRequest {
  if (divisor < 1) throw new Error('no request was sent in the measured window; backend calls per request are undefined');
  const byBackend = Object.fromEntries(
    stats.map(([name, { requests: routes, total }]) => [
      name,
      { total: total / divisor, routes: Object.fromEntries(Object.entries(routes).map(([route, count]) => [route, count / divisor])) },
    ]),
  ) as BackendCallsPerRequest['byBackend']; // one entry per name of SUBGRAPHS
  return { total: stats.reduce((sum, [, { total }]) => sum + total, 0) / divisor, byBackend };
}

/**
 * Reads every simulator's counters and divides them by `requests`: the requests sent in the
 * window, including those still in flight when it closed, which call the backends all the same.
 */
export async function readBackendCallsPerRequest(simulatorUrls: Record<SubgraphName, string>, requests: number): Promise<BackendCallsPerRequest> {
  if (requests < 1) throw new Error('no request was sent in the measured window; backend calls per request are undefined');
  return backendCallsPer(await readBackendCalls(simulatorUrls), requests);
}

/** How often {@link waitForQuietBackends} looks. */
const QUIET_POLL_MS = 1_000;

/**
 * Waits until no simulator has been called for two polls in a row: the requests a load run left
 * behind have finished their backend calls. Gives up after `maxSeconds` and says so in the log.
 * Resolves with the time (epoch ms) of the last poll that still saw new calls, to the poll's second.
 */
export async function waitForQuietBackends(simulatorUrls: Record<SubgraphName, string>, maxSeconds = 60): Promise<number> {
  const totalCalls = async (): Promise<number> => (await readBackendCalls(simulatorUrls)).reduce((sum, [, { total }]) => sum + total, 0);
  let previous = await totalCalls();
  let lastActivityAt = Date.now();
  let quietPolls = 0;
  const maxPolls = Math.ceil((maxSeconds * 1000) / QUIET_POLL_MS);
  for (let poll = 0; poll < maxPolls && quietPolls < 2; poll++) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_POLL_MS));
    const current = await totalCalls();
    quietPolls = current === previous ? quietPolls + 1 : 0;
    if (current !== previous) lastActivityAt = Date.now();
    previous = current;
  }
  if (quietPolls < 2) console.warn(`backends still busy after ${maxSeconds} s; reading their counters anyway`);
  return lastActivityAt;
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
