import { readNamedConfig } from '@crossdock/service';
import { z } from 'zod';

/** How the inventory reconciliation runs, from the environment. */
export interface DriftConfig {
  /** INVENTORY_RECONCILE_INTERVAL_MS (default five minutes; 0: only on demand). */
  intervalMs: number;
  /** INVENTORY_DRIFT_THRESHOLD: units of drift from which an exception is recorded (default 5). */
  thresholdUnits: number;
}

const schema = z.object({
  intervalMs: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0, 'must be 0 (on demand only) or more').default(300_000),
  thresholdUnits: z.coerce.number({ error: 'must be a number of units' }).int().min(1, 'must be at least 1 unit').default(5),
});

/** Reads it once at start; a bad value is reported by its variable name. */
export function readDriftConfig(env: NodeJS.ProcessEnv = process.env): DriftConfig {
  return readNamedConfig(schema, { intervalMs: 'INVENTORY_RECONCILE_INTERVAL_MS', thresholdUnits: 'INVENTORY_DRIFT_THRESHOLD' }, env);
}
