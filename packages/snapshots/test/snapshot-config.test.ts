import { expect, it } from '@jest/globals';
import { ConfigError } from '@crossdock/service';
import { DEFAULT_SNAPSHOT_MAX_AGE_MS, readSnapshotConfig } from '../src';

it('keeps snapshots a day and sweeps every minute unless told otherwise', () => {
  expect(readSnapshotConfig({})).toEqual({ maxAge: { defaultMs: DEFAULT_SNAPSHOT_MAX_AGE_MS, byKind: {} }, sweepIntervalMs: 60_000 });
  expect(DEFAULT_SNAPSHOT_MAX_AGE_MS).toBe(86_400_000);
});

it('reads a default maximum age and overrides per kind', () => {
  expect(
    readSnapshotConfig({
      SNAPSHOT_MAX_AGE_MS: '3600000',
      SNAPSHOT_MAX_AGE_BY_KIND: 'wms.positions=600000, erp.customer=7200000',
      SNAPSHOT_SWEEP_INTERVAL_MS: '30000',
    }),
  ).toEqual({ maxAge: { defaultMs: 3_600_000, byKind: { 'wms.positions': 600_000, 'erp.customer': 7_200_000 } }, sweepIntervalMs: 30_000 });
});

it('names every bad variable in one error', () => {
  const read = () => readSnapshotConfig({ SNAPSHOT_MAX_AGE_MS: '-5', SNAPSHOT_MAX_AGE_BY_KIND: 'wms.positions:600000' });
  expect(read).toThrow(ConfigError);
  expect(read).toThrow(/SNAPSHOT_MAX_AGE_MS: .*\n.*SNAPSHOT_MAX_AGE_BY_KIND: "wms\.positions:600000" is not <kind>=<positive ms>/);
});
