import type { ProcessUsage } from '../load';
import type { MachineUsage } from '../machine';

/** Share of all cores above which a window counts as CPU-bound. */
const BUSY_MACHINE_SHARE = 0.85;
/** CPU % at which a process with one busy thread (Node's JavaScript thread, Redis's command thread) is saturated. */
const SATURATED_THREAD_PERCENT = 90;
/** Processes whose work spreads over many threads (Go), so 100 % is no ceiling for them. */
const MULTI_THREADED = new Set(['FerretDB']);

/** A measured window: its processes, the machine, and how many orders it served. */
export interface BoundInput {
  processes: Record<string, ProcessUsage>;
  machine: MachineUsage;
  windowSeconds: number;
  /** Orders the window's requests created (answered accepted, or found accepted afterwards), or reservations made. */
  orders: number;
  /** What `orders` counts, for the text (default "order"). */
  unit?: string;
}

/**
 * What bounded a window, from that window's own numbers: CPU milliseconds each process spent
 * per order (which caps orders/s at cores × 1000 ms ÷ their sum), the whole machine's CPU
 * against its cores (and how much of it was load from outside the hub), and each process
 * against one core.
 */
export function describeBound({ processes, machine, windowSeconds, orders, unit = 'order' }: BoundInput): string {
  const capacity = machine.cores * 100;
  const ranked = Object.entries(processes)
    .filter(([, usage]) => Number.isFinite(usage.cpuPercent))
    .sort(([, a], [, b]) => b.cpuPercent - a.cpuPercent);
  const ours = ranked.reduce((sum, [, usage]) => sum + usage.cpuPercent, 0);
  const other = Math.max(0, machine.busyPercent - ours);
  const machineText =
    `the machine was ${machine.busyPercent.toFixed(0)} % busy of ${capacity} % (these processes ${ours.toFixed(0)} %, ` +
    `other load on the machine ${other.toFixed(0)} %; iowait ${machine.iowaitPercent.toFixed(0)} %` +
    `${machine.stealPercent >= 5 ? `, steal ${machine.stealPercent.toFixed(0)} %` : ''})`;
  const perOrder = orders > 0 ? cpuPerOrder(ranked, windowSeconds, orders, machine.cores, unit) : '';
  const costliest = ranked[0]?.[0];

  let verdict: string;
  const saturated = ranked.filter(([name, usage]) => !MULTI_THREADED.has(name) && usage.cpuPercent >= SATURATED_THREAD_PERCENT);
  if (machine.busyPercent >= BUSY_MACHINE_SHARE * capacity) {
    const top = ranked.slice(0, 3).map(([name, usage]) => `${name} ${usage.cpuPercent.toFixed(0)} %`).join(', ');
    verdict = `CPU: ${machineText}; largest: ${top}`;
  } else if (saturated.length > 0) {
    verdict = `${saturated.map(([name, usage]) => `${name} (${usage.cpuPercent.toFixed(0)} %)`).join(', ')}, one busy thread at its one core, while ${machineText}`;
  } else {
    verdict =
      `not CPU-saturated: ${machineText} and no single-threaded process near one core, so each ${unit} waits on its round trips` +
      `${costliest ? `; ${costliest} spends the most CPU on each` : ''}`;
  }
  return `${verdict}.${perOrder}`;
}

/** " CPU per order: FerretDB 80 ms, …; 110 ms in all, so 2 cores could take at most ≈ 18 orders/s." */
function cpuPerOrder(ranked: [string, ProcessUsage][], windowSeconds: number, orders: number, cores: number, unit: string): string {
  // cpuPercent is CPU time over wall time × 100; times the window it is CPU seconds.
  const perOrderMs = ranked.map(([name, usage]) => [name, (usage.cpuPercent * 10 * windowSeconds) / orders] as const).filter(([, ms]) => ms >= 0.0005);
  const totalMs = perOrderMs.reduce((sum, [, ms]) => sum + ms, 0);
  if (totalMs <= 0) return '';
  const ms = (value: number): string => (value >= 1 ? `${value.toFixed(1)} ms` : `${(value * 1000).toFixed(1)} µs`);
  const parts = perOrderMs.map(([name, value]) => `${name} ${ms(value)}`).join(', ');
  return ` CPU per ${unit}: ${parts}; ${ms(totalMs)} in all, so ${cores} cores could take at most ≈ ${((cores * 1000) / totalMs).toFixed(0)} ${unit}s/s.`;
}
