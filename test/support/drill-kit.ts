import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { WORLD_EPOCH_MS } from '@crossdock/simulators';
import type { GraphQLBody, HubStack, SubgraphName } from '@crossdock/testkit';

/**
 * The seeded orders only: every one was placed before the world's epoch, every order the hub
 * captures during a drill after it. A drill that places orders thus never changes the page the
 * read drills compare against.
 */
export const SEEDED_ORDERS = { placedBefore: new Date(WORLD_EPOCH_MS).toISOString() };

/** One answer of a load loop; times are performance.now() of the test process. */
export interface TimedAnswer<T> {
  startedAt: number;
  endedAt: number;
  status: number;
  body: GraphQLBody<T> | null;
  /** Why no GraphQL answer arrived at all (connection refused, unreadable body). */
  failure: string | null;
}

/**
 * A bounded closed loop: `clients` callers, each sending its next request as soon as the last
 * one answered, until `durationMs` has passed. Resolves with every answer, in no set order.
 */
export async function closedLoop<T>(
  clients: number,
  durationMs: number,
  request: () => Promise<{ status: number; body: GraphQLBody<T> }>,
): Promise<TimedAnswer<T>[]> {
  const answers: TimedAnswer<T>[] = [];
  const until = performance.now() + durationMs;
  const client = async () => {
    while (performance.now() < until) {
      const startedAt = performance.now();
      try {
        const { status, body } = await request();
        answers.push({ startedAt, endedAt: performance.now(), status, body, failure: null });
      } catch (error) {
        answers.push({ startedAt, endedAt: performance.now(), status: 0, body: null, failure: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return answers;
}

/** A service's /ready as JSON: its HTTP status and per-dependency detail. */
export async function readiness(url: string): Promise<{ status: number; checks: Record<string, unknown> }> {
  const response = await fetch(`${url}/ready`);
  const body = (await response.json()) as { checks?: Record<string, unknown> }; // the services' /ready shape
  return { status: response.status, checks: body.checks ?? {} };
}

/**
 * Waits until a subgraph's circuit to its backend is closed again (its /ready detail says so),
 * and returns when it was seen closed. Drills start from closed circuits and wait for them after
 * healing a backend, so that one drill's outage never leaks into the next.
 */
export async function circuitClosed(hub: HubStack, name: SubgraphName): Promise<number> {
  await eventually(`the ${name} circuit closed`, async () => ((await readiness(hub.subgraph(name).url)).checks.circuit === 'closed' ? true : null));
  return performance.now();
}

/** Polls `check` until it returns a value or `timeoutMs` runs out; drills wait on outcomes, never on time. */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined>, timeoutMs = 30_000, pauseMs = 200): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== null && value !== undefined) return value;
    } catch (error) {
      // A check may fail while the system is still settling (a process restarting); keep the last reason.
      lastError = error;
    }
    if (performance.now() > deadline) {
      const reason = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms${reason}`);
    }
    await sleep(pauseMs);
  }
}

/** The `degraded` subgraphs an answer names, sorted; empty when everything was live. */
export function degradedSubgraphs(body: GraphQLBody<unknown> | null): string[] {
  const degraded = body?.extensions?.degraded;
  if (!Array.isArray(degraded)) return [];
  return degraded.map((entry: unknown) => (typeof entry === 'object' && entry !== null && 'subgraph' in entry ? String(entry.subgraph) : '?')).sort();
}

/** When each `degraded` source's snapshots were taken (epoch ms), in the answer's order. */
export function degradedAsOf(body: GraphQLBody<unknown> | null): number[] {
  const degraded = body?.extensions?.degraded;
  if (!Array.isArray(degraded)) return [];
  return degraded.map((entry: unknown) => (typeof entry === 'object' && entry !== null && 'asOf' in entry ? Date.parse(String(entry.asOf)) : Number.NaN));
}

/** How many ERP sales orders exist per hub order id (ERP simulator's admin view). */
export async function erpSalesOrders(hub: HubStack): Promise<Map<string, number>> {
  const response = await fetch(`${hub.simulatorUrls.erp}/_admin/salesorders`);
  if (!response.ok) throw new Error(`GET /_admin/salesorders answered ${response.status}`);
  const body = (await response.json()) as { postings: { externalRef: string; salesOrderNos: string[] }[] }; // the simulator's admin shape
  return new Map(body.postings.map((p) => [p.externalRef, p.salesOrderNos.length]));
}
