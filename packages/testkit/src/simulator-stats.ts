/** Backend request counters of a simulator, by "<METHOD> <route>" (admin routes excluded). */
export interface SimulatorStats {
  requests: Record<string, number>;
  total: number;
}

/** Reads a simulator's request counters (GET /_admin/stats). */
export async function readSimulatorStats(simulatorUrl: string): Promise<SimulatorStats> {
  const response = await fetch(`${simulatorUrl}/_admin/stats`);
  if (!response.ok) throw new Error(`GET ${simulatorUrl}/_admin/stats answered ${response.status}`);
  return (await response.json()) as SimulatorStats; // the simulators' documented admin shape
}

/** Zeroes a simulator's request counters (POST /_admin/stats/reset). */
export async function resetSimulatorStats(simulatorUrl: string): Promise<void> {
  const response = await fetch(`${simulatorUrl}/_admin/stats/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`POST ${simulatorUrl}/_admin/stats/reset answered ${response.status}`);
}

/** A simulator's fault modes (CONTRACT.md: POST /_admin/fault). */
export type SimulatorFaultMode = 'none' | 'down' | 'slow' | 'error';

/** Switches a simulator's fault mode (CONTRACT.md: POST /_admin/fault). */
export async function setSimulatorFault(
  simulatorUrl: string,
  fault: { mode: SimulatorFaultMode; latencyMs?: number; errorRate?: number },
): Promise<void> {
  const response = await fetch(`${simulatorUrl}/_admin/fault`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`POST ${simulatorUrl}/_admin/fault answered ${response.status}: ${await response.text()}`);
}
