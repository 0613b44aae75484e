import { MemoryReservationStore, RedisReservationStore, StockReservations, type ReservationStore, type StockLevel } from '@crossdock/reservations';
import { sampleProcess, sampleProcesses, type LoadResult, type ProcessUsage } from '../load';
import { sampleMachine, type MachineUsage } from '../machine';
import { percentile } from '../percentile';

/** Which ReservationStore the step runs over. */
export type StepStore = 'redis' | 'memory';

/** What one reservation-step row needs besides its store and SKUs. */
export interface ReservationStepSettings {
  /** The stack's Redis; the step writes under `keyPrefix` only, never the hub's own keys. */
  redisUrl: string;
  keyPrefix: string;
  warehouseIds: readonly string[];
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Processes to sample during the measured window besides this one (e.g. redis-server), by name. */
  helperPids: Record<string, number>;
}

/** The step's measured window, in the load harness's terms, and whether the size cap ended it early. */
export interface ReservationStepResult {
  load: LoadResult;
  /** Reservations at which the window stopped before its duration ran out, if it did. */
  cappedAt: number | null;
  /** The first error a reserve threw, if any. */
  firstError: string | null;
  /** This process, which runs the step, over the measured window. */
  usage: ProcessUsage;
  helpers: Record<string, ProcessUsage>;
  machine: MachineUsage;
}

/**
 * Neither store forgets a reservation until it is confirmed and released, so a window of
 * millions grows the bench heap (memory store) or Redis without bound; a window stops here.
 */
const MAX_RESERVATIONS = 2_000_000;
/** Stock per SKU and warehouse that no window can use up (hot SKU: every reservation takes 1). */
const STOCK_LEVEL = 1_000_000_000;
/** The production default: nothing expires during a window. */
const HOLD_MS = 30 * 60_000;

/**
 * Closed-loop `reserve` calls of StockReservations over one store, `connections` at a time, as
 * order capture makes them (ledger freshness check, then the atomic reserve): first a warm-up on
 * a throwaway store, then the measured window on a fresh one, so the window starts from an empty
 * ledger as the first window of a hub would. Stock comes from `loadStock`, not the WMS.
 */
export async function measureReservationStep(kind: StepStore, skus: readonly string[], settings: ReservationStepSettings): Promise<ReservationStepResult> {
  if (settings.warmupSeconds > 0) {
    const warmup = await openStore(kind, settings, 'warmup');
    try {
      await closedLoop(reservationsOver(warmup.store, settings.warehouseIds), skus, settings, settings.warmupSeconds, null);
    } finally {
      await warmup.close();
    }
  }
  const measured = await openStore(kind, settings, 'measured');
  try {
    const latencies = new Float64Array(MAX_RESERVATIONS + settings.connections);
    const benchSampler = sampleProcess(process.pid);
    const helperSamplers = sampleProcesses(settings.helperPids);
    const machineSampler = sampleMachine();
    const run = await closedLoop(reservationsOver(measured.store, settings.warehouseIds), skus, settings, settings.durationSeconds, latencies).finally(() => {
      benchSampler.stop();
      helperSamplers.stop();
      machineSampler.stop();
    });
    const sorted = latencies.subarray(0, run.completed).sort();
    return {
      load: {
        requestsPerSecond: run.reserved / run.elapsedSeconds,
        latencyP50Ms: percentile(sorted, 0.5),
        latencyP99Ms: percentile(sorted, 0.99),
        totalRequests: run.completed,
        non2xx: 0,
        errors: run.errors,
        mismatches: run.completed - run.errors - run.reserved,
        durationSeconds: run.elapsedSeconds,
      },
      cappedAt: run.capped ? run.completed : null,
      firstError: run.firstError,
      usage: benchSampler.stop(),
      helpers: helperSamplers.stop(),
      machine: machineSampler.stop(),
    };
  } finally {
    await measured.close();
  }
}

async function openStore(kind: StepStore, settings: ReservationStepSettings, phase: string): Promise<{ store: ReservationStore; close(): Promise<void> }> {
  if (kind === 'memory') return { store: new MemoryReservationStore(), close: async () => undefined };
  const store = await RedisReservationStore.connect({
    url: settings.redisUrl,
    keyPrefix: `${settings.keyPrefix}${phase}:`,
    onConnectionError: (error) => console.error('place-order: reservation step: redis connection error', error),
  });
  return { store, close: () => store.close() };
}

function reservationsOver(store: ReservationStore, warehouseIds: readonly string[]): StockReservations {
  const loadStock = async (skus: readonly string[]): Promise<StockLevel[]> =>
    skus.flatMap((sku) => warehouseIds.map((warehouseId) => ({ sku, warehouseId, onHand: STOCK_LEVEL, reserved: 0, safetyStock: 0 })));
  return new StockReservations({ store, loadStock, rule: 'single-warehouse-first', holdMs: HOLD_MS });
}

interface LoopRun {
  completed: number;
  reserved: number;
  errors: number;
  capped: boolean;
  elapsedSeconds: number;
  firstError: string | null;
}

/** `connections` workers, each calling reserve again as soon as the last call returned; latencies in ms when asked for. */
async function closedLoop(
  reservations: StockReservations,
  skus: readonly string[],
  settings: ReservationStepSettings,
  seconds: number,
  latencies: Float64Array | null,
): Promise<LoopRun> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const run: LoopRun = { completed: 0, reserved: 0, errors: 0, capped: false, elapsedSeconds: 0, firstError: null };
  let sequence = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      if (sequence >= MAX_RESERVATIONS) {
        run.capped = true;
        return;
      }
      const n = sequence++;
      const sku = skus[n % skus.length] ?? '';
      const before = performance.now();
      try {
        const result = await reservations.reserve(`bench-${n}`, [{ lineNumber: 1, sku, quantity: 1 }], settings.warehouseIds);
        if (result.status === 'reserved') run.reserved += 1;
      } catch (error) {
        run.errors += 1;
        run.firstError ??= error instanceof Error ? error.message : String(error);
      }
      if (latencies) latencies[run.completed] = performance.now() - before;
      run.completed += 1;
    }
  };
  await Promise.all(Array.from({ length: settings.connections }, worker));
  run.elapsedSeconds = (performance.now() - started) / 1000;
  return run;
}
