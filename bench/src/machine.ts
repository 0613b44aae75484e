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
