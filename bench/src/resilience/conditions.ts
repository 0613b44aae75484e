import { setTimeout as sleep } from 'node:timers/promises';
import { setSimulatorFault, type HubStack, type SubgraphName } from '@crossdock/testkit';

/** The simulators' `slow` latency for the slow-backend row: the issue's 2 s, as long as the default backend timeout. */
export const SLOW_LATENCY_MS = 2_000;

/** One state of the backends the unified view is measured in. */
export interface Condition {
  /** Short name for row labels and logs. */
  label: string;
  /** The backend the condition breaks, if any. */
  broken: SubgraphName | null;
  /** Breaks it (before the warm-up, so the warm-up also opens its circuit). */
  apply(hub: HubStack): Promise<void>;
  /** Heals it and waits until the subgraph uses its backend again (its circuit closed). */
  heal(hub: HubStack): Promise<void>;
  /** Whether a unified-view answer is a good one in this condition; see {@link answerRule}. */
  rule: 'complete' | 'complete-and-flagged';
}

/**
 * Healthy; the ERP down (resets every connection: its circuit opens and the ERP fields come from
 * the fallback cache); the WMS slow (every answer 2 s late: calls time out, its circuit opens).
 */
export const CONDITIONS: readonly Condition[] = [
  { label: 'healthy', broken: null, apply: async () => undefined, heal: async () => undefined, rule: 'complete' },
  {
    label: 'ERP down',
    broken: 'erp',
    apply: (hub) => setSimulatorFault(hub.simulatorUrls.erp, { mode: 'down' }),
    heal: (hub) => healBackend(hub, 'erp'),
    rule: 'complete-and-flagged',
  },
  {
    label: `WMS slow (${SLOW_LATENCY_MS / 1000} s)`,
    broken: 'wms',
    apply: (hub) => setSimulatorFault(hub.simulatorUrls.wms, { mode: 'slow', latencyMs: SLOW_LATENCY_MS }),
    heal: (hub) => healBackend(hub, 'wms'),
    rule: 'complete',
  },
];

/**
 * A good unified-view answer: no `errors` (every field answered, live or from the fallback cache)
 * and, with the ERP down, `extensions.degraded` present (the cached ERP fields are flagged).
 * String checks, cheap enough for every response, as in the other suites.
 */
export function answerRule(rule: Condition['rule']): (body: string) => boolean {
  return rule === 'complete' ? (body) => !body.includes('"errors"') : (body) => !body.includes('"errors"') && body.includes('"degraded"');
}

/** The state of a subgraph's circuit to its backend, from its /ready detail ("closed", "open", "half-open"). */
export async function circuitState(hub: HubStack, name: SubgraphName): Promise<string> {
  const response = await fetch(`${hub.subgraph(name).url}/ready`, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { checks?: { circuit?: unknown } }; // the services' /ready shape
  return String(body.checks?.circuit ?? 'unknown');
}

async function healBackend(hub: HubStack, name: SubgraphName): Promise<void> {
  await setSimulatorFault(hub.simulatorUrls[name], { mode: 'none' });
  // The background probe closes the circuit within its open period (5 s by default).
  for (let polls = 0; polls < 120; polls++) {
    if ((await circuitState(hub, name)) === 'closed') return;
    await sleep(250);
  }
  throw new Error(`the ${name} circuit did not close within 30 s of healing the backend`);
}
