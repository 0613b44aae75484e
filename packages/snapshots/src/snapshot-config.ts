import { millisVar, readNamedConfig } from '@crossdock/service';
import { z } from 'zod';
import { DEFAULT_SNAPSHOT_MAX_AGE_MS, type SnapshotOptions } from './fallback-cache';

const OVERRIDE = /^([a-z0-9][a-z0-9.-]*)=(\d+)$/;

/** `erp.customer=3600000,wms.positions=600000`: maximum ages in ms for single kinds. */
const maxAgeByKind = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const byKind: Record<string, number> = {};
    for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
      const match = OVERRIDE.exec(part);
      if (!match?.[1] || !match[2] || Number(match[2]) <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not <kind>=<positive ms>, e.g. wms.positions=600000` });
        return z.NEVER;
      }
      byKind[match[1]] = Number(match[2]);
    }
    return byKind;
  });

const schema = z.object({
  maxAgeMs: millisVar(DEFAULT_SNAPSHOT_MAX_AGE_MS),
  maxAgeByKind,
  sweepIntervalMs: millisVar(60_000),
});

/** The fallback cache's policy from a service's environment (the store itself comes from MONGO_URL). */
export type SnapshotConfig = Pick<SnapshotOptions, 'maxAge' | 'sweepIntervalMs'>;

/**
 * Reads SNAPSHOT_MAX_AGE_MS (default a day), SNAPSHOT_MAX_AGE_BY_KIND (overrides, e.g.
 * `wms.positions=600000`) and SNAPSHOT_SWEEP_INTERVAL_MS (default a minute), once, at start.
 */
export function readSnapshotConfig(env: NodeJS.ProcessEnv = process.env): SnapshotConfig {
  const config = readNamedConfig(
    schema,
    { maxAgeMs: 'SNAPSHOT_MAX_AGE_MS', maxAgeByKind: 'SNAPSHOT_MAX_AGE_BY_KIND', sweepIntervalMs: 'SNAPSHOT_SWEEP_INTERVAL_MS' },
    env,
  );
  return { maxAge: { defaultMs: config.maxAgeMs, byKind: config.maxAgeByKind }, sweepIntervalMs: config.sweepIntervalMs };
}
