import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';

/** The facts a reader needs to compare a result with one from another machine. */
export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
}

/** Reads the machine facts (CPU model from /proc/cpuinfo). */
export function machineFacts(): MachineFacts {
  return {
    cores: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: `Linux ${release()}`,
    node: process.version,
  };
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** How busy the whole machine was over a window, in the unit of the process samplers. */
export interface MachineUsage {
  /** CPU time of every process over wall time; 100 is one full core, so the ceiling is cores × 100. */
  busyPercent: number;
  /** Time cores sat idle waiting for disk I/O, same unit: high when work waits on fsync rather than CPU. */
  iowaitPercent: number;
  /** Time the hypervisor gave this machine's cores to someone else, same unit. */
  stealPercent: number;
  cores: number;
}

/**
 * Samples /proc/stat at start and stop. Next to the per-process numbers it tells whether a
 * window was bound by CPU (busy near cores × 100) or by waiting (busy well below it).
 */
export function sampleMachine(): { stop(): MachineUsage } {
  const start = readCpuTimes();
  let usage: MachineUsage | undefined;
  return {
    stop: () => {
      if (usage) return usage;
      const end = readCpuTimes();
      const total = end.total - start.total;
      const cores = availableParallelism();
      // Shares of all cores' time, scaled so that one saturated core reads 100.
      const share = (ticks: number): number => (total > 0 ? (100 * cores * ticks) / total : Number.NaN);
      usage = {
        busyPercent: share(end.busy - start.busy),
        iowaitPercent: share(end.iowait - start.iowait),
        stealPercent: share(end.steal - start.steal),
        cores,
      };
      return usage;
    },
  };
}

function readCpuTimes(): { total: number; busy: number; iowait: number; steal: number } {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in USER_HZ ticks.
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { total, busy: user + nice + system + irq + softirq, iowait, steal };
}
