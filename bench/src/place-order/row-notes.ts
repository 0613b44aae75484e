import { describeBackendCalls } from '../backend-calls';
import type { Outcome } from '../suites';
import { UNRESOLVED } from './order-answers';
import type { OrderMix } from './order-mix';
import { ANSWER_TIMEOUT_SECONDS, type OrderRowResult } from './order-row';
import type { StepResult } from './closed-loop';
import { describeBound } from './throughput-bound';

/** The issue's targets on this machine. */
export const TARGETS = { spreadOrdersPerSecond: 500, hotOrdersPerSecond: 200, p99Ms: 250 };

/** A step-alone row (reservation step, order store): its table outcome and, when it ran, the details for the notes. */
export interface StepRow {
  subject: string;
  /** What one call of the step is, for the notes. */
  unit: 'reservation' | 'order';
  outcome: Outcome;
  result?: StepResult;
}

/** A paced row took its offer when it accepted at least this share of it (the rest: refused, timed out or not answered). */
const KEPT_UP_SHARE = 0.98;

/**
 * Answers, resolution, round trips per order, what bounded it, the check and the target, for one
 * placeOrder row; `offeredPerSecond` for a row paced to a rate instead of closed-loop.
 */
export function orderRowNotes(subject: string, row: OrderRowResult, hotSku: string | null, offeredPerSecond?: number): string[] {
  const notes: string[] = [];
  if (row.window && row.window.total === 0) {
    notes.push(`${subject}: no answer arrived within the ${(row.windowSeconds ?? 0).toFixed(0)} s window: every order took longer, so p50 and p99 are above it (shown as —).`);
  } else if (row.window) {
    notes.push(`${subject}: ${row.window.total} answers in the window (${(row.answersPerSecond ?? 0).toFixed(1)}/s): ${row.window.describe()}.`);
  }
  if (row.resolved && row.resolved.total > 0) {
    notes.push(
      `${subject}: ${row.resolved.total} requests had no final answer when the window closed (cut off at its end, timed out, or a GraphQL error); ` +
        `asked again with the same idempotency key afterwards: ${row.resolved.describe()}.`,
    );
  }
  if (row.window && row.resolved && row.drainedSeconds !== undefined) {
    const created = row.window.accepted + row.resolved.accepted;
    notes.push(
      `${subject}: rate the hub sustained, answered or not: ${created} orders created by the window's requests, the last one done ≈ ${row.drainedSeconds.toFixed(0)} s ` +
        `after the window began: ≈ ${(created / row.drainedSeconds).toFixed(1)} orders/s.`,
    );
  }
  if (row.backendCalls) {
    const undecided = row.resolved?.counts.get(UNRESOLVED) ?? 0;
    notes.push(
      `${subject}: round trips per accepted order${undecided > 0 ? ` (upper bounds: the ${undecided} undecided orders made calls too)` : ''}: ` +
        `backends ${describeBackendCalls(row.backendCalls)}; Redis commands ${row.redisPerOrder ?? 'not read'}; FerretDB requests ${row.ferretDbPerOrder ?? 'not read'}.`,
    );
  }
  const { outcome } = row;
  if (row.processes && row.machine && row.windowSeconds !== undefined) {
    const orders = (row.window?.accepted ?? 0) + (row.resolved?.accepted ?? 0);
    const stored = row.storedAtWindowStart === undefined ? '' : ` (${row.storedAtWindowStart} hub orders were in the order store when the window began)`;
    notes.push(`${subject}: what bounds it${stored}: ${describeBound({ processes: row.processes, machine: row.machine, windowSeconds: row.windowSeconds, orders })}`);
  }
  if (row.check) notes.push(`${subject}: ${row.check.text}.`);
  if (outcome.kind === 'measured') {
    const target = hotSku === null ? TARGETS.spreadOrdersPerSecond : TARGETS.hotOrdersPerSecond;
    const rate = outcome.load.requestsPerSecond;
    const p99 = outcome.load.latencyP99Ms;
    const p99Text = Number.isFinite(p99) ? `${p99.toFixed(0)} ms` : `above the ${(row.windowSeconds ?? 0).toFixed(0)} s window`;
    if (offeredPerSecond === undefined) {
      // Closed loop: the most the hub took, with the latency of a queue kept full.
      notes.push(
        `${subject}: the most it took, closed loop: ${rate.toFixed(1)} orders/s (target ≥ ${target}: ${rate >= target ? 'met' : '**not met**'}), ` +
          `p99 ${p99Text} while every connection always had an order in flight (the p99 < ${TARGETS.p99Ms} ms target holds "at those rates": see the "offered at" row).`,
      );
    } else {
      const keptUp = rate >= offeredPerSecond * KEPT_UP_SHARE;
      const met = keptUp && offeredPerSecond >= target && p99 < TARGETS.p99Ms;
      notes.push(
        `${subject}: offered ${offeredPerSecond} orders/s, accepted ${rate.toFixed(1)}/s ` +
          `(${keptUp ? 'took the offer' : 'did not take the offer'}: at least ${(KEPT_UP_SHARE * 100).toFixed(0)} % of it must be accepted), p99 ${p99Text}: ` +
          `target ≥ ${target} orders/s with p99 < ${TARGETS.p99Ms} ms at that rate ${met ? 'met' : '**not met**'}.`,
      );
    }
  }
  return notes;
}

/** Calls, latency and any cap or error, per step-alone row. */
export function stepRowNotes(steps: readonly StepRow[]): string[] {
  return steps.flatMap(({ subject, unit, result }) => {
    if (!result) return [];
    const { load } = result;
    // Reservations in µs (the table's ms round the memory store to 0); orders take milliseconds.
    const latency = (ms: number): string => (unit === 'reservation' ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);
    const parts = [
      `${load.totalRequests.toLocaleString('en-US')} ${unit === 'reservation' ? 'reserve calls' : 'orders stored and posted'} in ${load.durationSeconds.toFixed(1)} s`,
      `p50 ${latency(load.latencyP50Ms)}, p99 ${latency(load.latencyP99Ms)}`,
    ];
    if (result.cappedAt !== null) parts.push(`stopped early at the cap of ${result.cappedAt.toLocaleString('en-US')} ${unit}s per window`);
    if (load.mismatches > 0) parts.push(`${load.mismatches} not reserved`);
    if (result.firstError !== null) parts.push(`${load.errors} errors, first: ${result.firstError.slice(0, 200)}`);
    const bound = describeBound({
      processes: { 'bench process': result.usage, ...result.helpers },
      machine: result.machine,
      windowSeconds: load.durationSeconds,
      orders: load.totalRequests,
      unit,
    });
    return [`${subject}: ${parts.join('; ')}.`, `${subject}: what bounds it: ${bound}`];
  });
}

/** How the rows were set up and how to read the table. */
export function suiteNotes(mix: OrderMix, rows: readonly OrderRowResult[], receipts: { hot: number; spread: number }): string[] {
  const n = (value: number): string => value.toLocaleString('en-US');
  const accepted = rows.reduce((sum, row) => sum + (row.window?.accepted ?? 0) + (row.resolved?.accepted ?? 0), 0);
  const customers = new Set(mix.customerTurns).size;
  return [
    'One gateway replica (`startHubStack({ replicas: 1 })`), so one commerce subgraph takes every order; orders racing through two replicas are covered by test/order-capture.test.ts.',
    `Before any order, stock was raised through the WMS simulator's \`POST /_admin/adjust\`: +${n(receipts.hot)} of ${mix.hotSku} and +${n(receipts.spread)} of each of the ` +
      `${mix.spreadSkus.length} spread SKUs, all in ${mix.warehouseId} (first priority, so single-warehouse-first takes it); no row can sell out.`,
    `Each order: channel web, one line of quantity 1; the hot SKU is the cheapest sellable one, the spread SKUs the next ${mix.spreadSkus.length} cheapest. ` +
      `Customers: the ${customers} not on credit hold, in a turn list of ${mix.customerTurns.length} where each appears in proportion to its credit room ` +
      `(the ERP raises a customer's balance per posted order); that room covers about ${n(mix.spreadCreditCapacity)} spread orders at list price, ` +
      `and the measured windows accepted ${n(accepted)}. Before each row one order is placed and must be accepted.`,
    'Selection: `placeOrder(input) { order { id status } errors { code message } }`, commerce-owned fields only, so the answer costs no other subgraph.',
    '"orders/s": accepted orders per second of the window (successful reservations per second for the reservation-step rows); p50/p99 over every answer; ' +
      '"not accepted": 2xx answers carrying a UserError or a GraphQL error; ' +
      `"errors": connection errors and timeouts (${ANSWER_TIMEOUT_SECONDS} s, above the gateway's 10 s subgraph timeout); ` +
      'RSS and CPU: the gateway for the placeOrder rows, the bench process (which runs the step) for the reservation-step and order-store rows.',
    'The reservation step: `StockReservations.reserve` (ledger freshness read, then the atomic reserve) with stock from a `loadStock` that reports 10⁹ units per warehouse, ' +
      'under a key prefix of its own on the stack\'s Redis, so the hub\'s ledger is never touched; warm-up on a throwaway store, the window on a fresh one.',
    'The order store alone: what order capture does with an accepted order, in the bench process on a database of its own on the stack\'s FerretDB: ' +
      '`MongoOrderStore.insert` (key pointer, work-list entry, order) with the postings leased to the immediate attempt, then `OutboxWorker.postInserted` ' +
      'with three posters that answer at once, recording the three outcomes in one change (revision record, replace, work-list entry removed; the record itself is removed later, off the path of the order); ' +
      'closed loop at the same concurrency. "orders/s" there: orders stored and recorded per second.',
    'The four backend simulators run in one process, so their CPU is one number; `/_admin/stats` counts each backend\'s requests apart. ' +
      'Redis counts the commands a Lua script runs as well as the EVALSHA running it, so its round trips are the EVALSHA calls plus the commands outside scripts; ' +
      'FerretDB counts client requests (`ferretdb_client_requests_total`), which are round trips.',
    `Targets (the performance issue, this machine): ≥ ${TARGETS.spreadOrdersPerSecond} orders/s spread, ≥ ${TARGETS.hotOrdersPerSecond} orders/s on one hot SKU, p99 < ${TARGETS.p99Ms} ms, zero oversell.`,
    'The "offered at" rows are open-loop: the bench sends the orders evenly spaced at that rate, each at its time whether or not earlier ones were answered ' +
      '(up to 4 × the closed-loop connections), and counts latency from the time a request was due, so falling behind shows in p50/p99; ' +
      '"orders/s" counts the window\'s orders accepted over the time from its start to the last answer (the run waits for every answer, so a hub that falls behind takes longer than the window). ' +
      'The other placeOrder rows are closed-loop: each connection sends again as soon as answered.',
    'Every process listed above and autocannon share the same cores.',
  ];
}
